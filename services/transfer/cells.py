"""Turning one spreadsheet cell into a value, or a Chinese message saying why not.

Clerks' spreadsheets hold numbers as text ("1,234.50", full-width "１２３"), dates as text or as
Excel dates, and formulas; each parser accepts what is unambiguous and names what is not.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_HUNDREDTHS = 99_999_999_999
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(value: Any) -> str:
    """The value as the error report shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != datetime.min.time() else f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(value: Any, label: str, max_length: int, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise CellError(f"{label}不能为空")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a room number typed as 1203 and stored as a number
    result = unicodedata.normalize("NFC", str(value)).strip()
    if any(unicodedata.category(ch) == "Cc" for ch in result):
        raise CellError(f"{label}含有不可见的控制字符")
    if len(result) > max_length:
        raise CellError(f"{label}不能超过{max_length}个字")
    return result


def _number_text(value: str, label: str) -> Decimal:
    cleaned = unicodedata.normalize("NFKC", value).strip().replace(" ", "")  # full-width digits and comma
    if cleaned.startswith("¥") or cleaned.startswith("￥"):
        cleaned = cleaned[1:]
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        raise CellError(f"{label}的千位分隔符位置不对：{value}")
    if not _PLAIN.fullmatch(cleaned):
        raise CellError(f"{label}不是数字：{value}")
    return Decimal(cleaned)


def decimal(value: Any, label: str) -> Decimal:
    if value is None:
        raise CellError(f"{label}不能为空")
    if isinstance(value, bool) or isinstance(value, (datetime, date)):
        raise CellError(f"{label}不是数字：{shown(value)}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return _number_text(str(value), label)


def hundredths(value: Any, label: str, *, positive: bool) -> int:
    """Yuan or ㎡ to an integer of hundredths; at most two decimals."""
    number = decimal(value, label)
    if positive and number <= 0:
        raise CellError(f"{label}须大于0")
    if number < 0:
        raise CellError(f"{label}不能为负数")
    try:
        scaled = number.scaleb(2)
        if scaled != scaled.to_integral_value():
            raise CellError(f"{label}最多两位小数：{shown(value)}")
    except InvalidOperation:
        raise CellError(f"{label}不是数字：{shown(value)}") from None
    result = int(scaled)
    if result > MAX_HUNDREDTHS:
        raise CellError(f"{label}过大：{shown(value)}")
    return result


def integer(value: Any, label: str, *, low: int | None = None, high: int | None = None,
            required: bool = True) -> int | None:
    if value is None:
        if required:
            raise CellError(f"{label}不能为空")
        return None
    number = decimal(value, label)
    if number != number.to_integral_value():
        raise CellError(f"{label}应为整数：{shown(value)}")
    result = int(number)
    if low is not None and result < low:
        raise CellError(f"{label}不能小于{low}")
    if high is not None and result > high:
        raise CellError(f"{label}不能大于{high}")
    return result


def day(value: Any, label: str, required: bool = False) -> date | None:
    """An Excel date, or text as 2026-01-31 / 2026/1/31 / 2026年1月31日."""
    if value is None:
        if required:
            raise CellError(f"{label}不能为空")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise CellError(f"{label}应为日期（如 2026-01-31），不是数字：{shown(value)}")
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise CellError(f"{label}不是日期：{value}（应写成 2026-01-31，或设为 Excel 日期格式）")
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise CellError(f"{label}不是有效的日期：{value}") from None


def choice(value: Any, label: str, options: tuple[str, ...]) -> str:
    result = text(value, label, 40)
    if result not in options:
        raise CellError(f"{label}应为{'、'.join(options)}之一，不是“{result}”")
    return result
