"""What a clerk types, read by explicit rules: digits, integers bounded to their column, text and dates.

Input methods offer look-alikes: full-width digits (１２３) are digits and are converted; circled,
superscript and other-script digits (①, ², ٣) are not, and get a field message instead of
reaching int(). Text that cannot be stored or shown (a lone surrogate, a control character) is
refused at its field the same way.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from services.core.errors import ValidationError

INT32_MAX = 2_147_483_647  # an INTEGER column on PostgreSQL; SQLite's is wider
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)

# Full-width digits, point, comma and minus, as Chinese input methods produce them.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                             "．": ".", "，": ",", "－": "-", "　": " "})
_ASCII_INT = re.compile(r"[0-9]+")


def ascii_digits(text: str) -> str:
    """Full-width digits and signs converted to ASCII; everything else left as it is."""
    return text.translate(_FULL_WIDTH)


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored as a one-line field, or None."""
    for c in text:
        if c == "\x00":  # PostgreSQL cannot store it in any text column
            return "不能包含空字符（NUL）"
        if "\ud800" <= c <= "\udfff":
            return "含有无法识别的字符，请删除后重新输入"
        if unicodedata.category(c) == "Cc":
            return "不能含有控制字符，请删除后重新输入"
    return None


def check_text(text: str, field: str, label: str, max_length: int | None = None, *, strip: bool = True) -> str:
    """The text (stripped unless `strip` is false, as for a password), or a ValidationError at the
    field. The one check of typed text: forms, dialogs (reasons) and the login all use it, with
    their column's limit from services.core.limits.column_limit."""
    problem = text_problem(text)
    if problem:
        raise ValidationError(f"{label}{problem}", field=field)
    value = text.strip() if strip else text
    if max_length is not None and len(value) > max_length:
        raise ValidationError(f"{label}不能超过{max_length}个字", field=field)
    return value


def parse_int(text: str, field: str, label: str, *, minimum: int = 1, maximum: int = INT32_MAX) -> int:
    """A whole number typed in ASCII or full-width digits, within [minimum, maximum]."""
    value = ascii_digits(check_text(text, field, label)).strip()
    if not _ASCII_INT.fullmatch(value):
        # ① and ² pass str.isdigit(): say which digits are meant.
        hint = "，请用数字 0-9 输入" if any(c.isnumeric() and not "0" <= c <= "9" for c in value) else ""
        raise ValidationError(f"{label}须为{'正' if minimum >= 1 else ''}整数{hint}", field=field)
    # Bounded by its digits first: int() of a huge string is costly and the column cannot hold it.
    if len(value.lstrip("0")) > len(str(maximum)) or int(value) > maximum:
        raise ValidationError(f"{label}不能超过{maximum}", field=field)
    number = int(value)
    if number < minimum:
        raise ValidationError(f"{label}不能小于{minimum}", field=field)
    return number


def parse_date(text: str, field: str, label: str, *, example: str = "2026-12-01",
               earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE) -> date | None:
    """An ISO date within a sane range (0001-01-01 overflowed the time-zone arithmetic), or None if blank."""
    value = ascii_digits(check_text(text, field, label)).strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValidationError(f"{label}格式应为 {example}", field=field)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{label}格式应为 {example}", field=field) from None
    if not earliest <= day <= latest:
        raise ValidationError(f"{label}须在 {earliest.isoformat()} 至 {latest.isoformat()} 之间", field=field)
    return day
