"""Text limits in one place, read from the tables themselves (D13): a form or dialog that lets through
what its column cannot hold fails only on PostgreSQL (SQLite stores any length), and a NUL character
fails there too. Forms take their lengths from here and check typed text with `check_text`; text the
system writes itself (summaries quoting a reason) is cut to fit with `clip`."""

from __future__ import annotations

from services.core.errors import ValidationError


def column_limit(model, column: str) -> int | None:
    """The column's declared length (None for unbounded text)."""
    return getattr(model.__table__.c[column].type, "length", None)


def check_text(value: str, label: str, field: str | None = None, limit: int | None = None) -> str:
    """`value` when the database can store it, else a ValidationError at `field`."""
    if "\x00" in value:
        raise ValidationError(f"{label}不能包含空字符（NUL）", field=field)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValidationError(f"{label}含有无法识别的字符，请删除后重新输入", field=field)
    if limit is not None and len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字", field=field)
    return value


def clip(value: str | None, model, column: str) -> str | None:
    limit = column_limit(model, column)
    if value is None or limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"
