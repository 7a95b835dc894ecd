"""The rows of a list to an XLSX file, with the column names the screen shows (BY-06).

    table = export.ExportTable("业务流水", ("流水号", "金额(元)", "面积(㎡)"), rows)
    result = export.export_xlsx(db, actor, table)   # ExportResult(filename, data, rows)

A column's kind comes from its on-screen name: "(元)" is money, "(㎡)" an area, both written as
numbers with two decimals (#,##0.00) so the centre can add them up; everything else is text. In a
money or area column an int is fen / 0.01 ㎡ (what the services hold) and a str is the text the
screen shows ("1,234.56"); both become the same exact decimal — never a float.

The sheet is streamed by services.transfer.xlsx (openpyxl's write-only writer took 13 s for
100,000 rows; the files are read back with openpyxl in the tests). Text is written as text: a value
that starts with "=" stays a string, never a formula, and control characters (which XLSX cannot
hold) are dropped.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from services.core.actor import Actor
from services.core.clock import utcnow
from services.core.errors import PermissionDenied, ValidationError
from services.transfer import xlsx

# The control characters XLSX cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE, written out because
# importing openpyxl (~0.2-0.5 s with PIL) made every list screen's first opening that much slower.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_575  # one sheet's rows, less the header
WIDTH_SAMPLE = 2000  # rows measured for the column widths
MAX_WIDTH = 60
_HUNDREDTH = Decimal("0.01")
# openpyxl's own (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE), copied: importing openpyxl for it cost every
# list screen ~8 MB of resident memory (openpyxl, PIL, defusedxml) in each clerk's process.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # "text" | "money" | "area" | "number"


@dataclass(frozen=True)
class ExportTable:
    title: str  # names the sheet and the file, e.g. 业务流水
    columns: Sequence[Column | str]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class ExportResult:
    filename: str
    data: bytes
    rows: int
    mime_type: str = MIME_TYPE


def column(spec: Column | str) -> Column:
    if isinstance(spec, Column):
        return spec
    if spec.endswith(("(元)", "（元）")):
        return Column(spec, "money")
    if spec.endswith(("(㎡)", "（㎡）", "(平方米)")):
        return Column(spec, "area")
    return Column(spec)


def display_width(text: str) -> int:
    """Terminal/Excel cells: a CJK (wide or full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def hundredths(value: Any) -> Decimal | None:
    """An amount or area as an exact two-decimal number: int = hundredths, str = as shown."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(f"金额或面积不是数字：{value}")
    if isinstance(value, int):
        return Decimal(value).scaleb(-2)
    if isinstance(value, Decimal):
        return value.quantize(_HUNDREDTH)
    try:
        return Decimal(str(value).strip().replace(",", "").replace("，", "")).quantize(_HUNDREDTH)
    except InvalidOperation:
        raise ValidationError(f"金额或面积不是数字：{value}") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _widths(columns: list[Column], rows: Sequence[Sequence[Any]]) -> list[int]:
    widths = [display_width(c.title) for c in columns]
    for row in rows[:WIDTH_SAMPLE]:
        for i, (spec, value) in enumerate(zip(columns, row)):
            if spec.kind in ("money", "area"):
                shown = hundredths(value)
                width = len(f"{shown:,.2f}") if shown is not None else 0
            else:
                width = display_width(_text(value))
            widths[i] = max(widths[i], width)
    return [min(MAX_WIDTH, w + 2) for w in widths]


def write_xlsx(table: ExportTable) -> bytes:
    """The workbook itself (no permission check: the rows come from a service that made it)."""
    columns = [column(c) for c in table.columns]
    if len(table.rows) > MAX_ROWS:
        raise ValidationError(f"共 {len(table.rows)} 行，超过一张工作表的上限 {MAX_ROWS} 行，请缩小查询范围后再导出")
    return xlsx.workbook(_sheet_title(table.title), [c.title for c in columns], _widths(columns, table.rows),
                         _cells(columns, table.rows), row_count=len(table.rows))


def _cells(columns: list[Column], rows: Iterable[Sequence[Any]]):
    kinds = [spec.kind for spec in columns]
    for row in rows:
        out: list[Any] = []
        for kind, value in zip(kinds, row):
            if kind in ("money", "area"):
                out.append(hundredths(value))
            elif kind == "number" and isinstance(value, int) and not isinstance(value, bool):
                out.append(value)
            else:
                out.append(_text(value))
        yield out


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "导出")[:31]


def filename_for(title: str) -> str:
    stamp = utcnow().strftime("%Y%m%d%H%M%S")
    safe_title = "".join(ch for ch in title if ch not in '<>:"/\\|?* ') or "导出"
    return f"{safe_title}_{stamp}.xlsx"


def export_xlsx(db, actor: Actor | None, table: ExportTable) -> ExportResult:
    """The service a screen calls (through tui.calls.run) once its own query produced `table`."""
    if actor is None:
        raise PermissionDenied("请先登录")
    return ExportResult(filename_for(table.title), write_xlsx(table), len(table.rows))
