"""Shared column helpers for the tables.

Money is integer fen, area integer 0.01 ㎡, times aware UTC (SQLModel refuses naive ones; the
services convert to Asia/Shanghai for display).
"""

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
