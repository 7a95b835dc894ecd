"""Operator administration for enterprise administrators: operator lists, add/modify/disable, real-name review."""
