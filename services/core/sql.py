"""SQL expressions that must mean the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import BigInteger, cast, func


def int_sum(expression):
    """SUM as an int, 0 over no rows: PostgreSQL sums a bigint column into numeric, which Python
    would otherwise see as Decimal."""
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)
