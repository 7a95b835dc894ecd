"""Queries over what happened: the business log (业务流水查询)."""
