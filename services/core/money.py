"""Money in integer fen and area in integer 0.01 ㎡: parsing what clerks type, formatting for people."""

from __future__ import annotations

import re

from services.core.errors import ValidationError
from services.core.parsing import ascii_digits, check_text

MAX_FEN = 99_999_999_999  # 999,999,999.99 元
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


def _hundredths(text: str, field: str, label: str, unit: str) -> int:
    # ASCII digits only (\d and int() also take ٣ and other scripts' digits); full-width ones converted.
    cleaned = ascii_digits(check_text(text, field, label)).strip().replace(",", "")
    if not cleaned:
        raise ValidationError(f"请输入{label}", field=field)
    if cleaned.startswith("-"):
        raise ValidationError(f"{label}须大于0", field=field)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", cleaned):
        raise ValidationError(f"{label}须为数字，如 12345.67", field=field)
    if not _DECIMAL.fullmatch(cleaned):
        raise ValidationError(f"{label}最多两位小数", field=field)
    whole, _, frac = cleaned.partition(".")
    if len(whole) > 12:
        raise ValidationError(f"{label}不能超过 999,999,999.99{unit}", field=field)
    return int(whole) * 100 + int((frac + "00")[:2])


def parse_yuan(text: str, field: str, label: str) -> int:
    """'1,234.5' → 123450 fen; positive, at most two decimals, at most 999,999,999.99."""
    fen = _hundredths(text, field, label, "元")
    if fen <= 0:
        raise ValidationError(f"{label}须大于0", field=field)
    if fen > MAX_FEN:
        raise ValidationError(f"{label}不能超过 999,999,999.99元", field=field)
    return fen


def parse_area(text: str, field: str, label: str) -> int:
    """'89.5' → 8950 (0.01 ㎡)."""
    area = _hundredths(text, field, label, "㎡")
    if area <= 0:
        raise ValidationError(f"{label}须大于0", field=field)
    if area > MAX_FEN:
        raise ValidationError(f"{label}过大", field=field)
    return area


def _grouped(hundredths: int) -> str:
    hundredths = int(hundredths)  # raw SQL sums come back from PostgreSQL as Decimal
    sign = "-" if hundredths < 0 else ""
    whole, frac = divmod(abs(hundredths), 100)
    return f"{sign}{whole:,}.{frac:02d}"


def format_fen(fen: int) -> str:
    """123450 → '1,234.50'."""
    return _grouped(fen)


def format_area(area: int) -> str:
    """8950 → '89.50'."""
    return _grouped(area)


def plain_fen(fen: int) -> str:
    """123450 → '1234.50', the form a clerk types back into an input."""
    return f"{fen // 100}.{fen % 100:02d}"


def rate_text(amount_fen: int, area: int) -> str:
    """分摊标准 in 元/㎡, rounded half up to the fen for people: amount / area.

    amount_fen / 100 yuan over area / 100 ㎡ is amount_fen / area yuan per ㎡.
    """
    if area <= 0:
        raise ValidationError("分摊总面积须大于0，无法计算分摊标准", field="total_area")
    fen_per_m2 = (amount_fen * 100 * 2 + area) // (2 * area)
    return plain_fen(fen_per_m2)
