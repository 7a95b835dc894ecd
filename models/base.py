"""Shared column helpers for the tables.

Money is integer fen, area integer 0.01 ㎡, times naive UTC (the services convert for display).
"""

from datetime import datetime, timezone


def utcnow() -> datetime:
    """The current time as naive UTC, the form every timestamp column stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
