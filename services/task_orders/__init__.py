"""Maintenance withdrawal task orders: drafts, the form, apportionment, submission, queries and revision."""
