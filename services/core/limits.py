"""Text limits in one place, read from the tables themselves (D13): a form or dialog that lets through
what its column cannot hold fails only on PostgreSQL (SQLite stores any length), and a NUL character
fails there too. Forms take their lengths from here and check typed text with
`services.core.parsing.check_text`; text the system writes itself (summaries quoting a reason) is cut
to fit with `clip`."""

from __future__ import annotations


def column_limit(model, column: str) -> int | None:
    """The column's declared length (None for unbounded text)."""
    return getattr(model.__table__.c[column].type, "length", None)


def clip(value: str | None, model, column: str) -> str | None:
    limit = column_limit(model, column)
    if value is None or limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"
