"""Reading an import file: XLSX (openpyxl, read-only) or CSV (UTF-8 with or without BOM, GB18030),
into a header and rows of raw cell values, refusing what is not a usable spreadsheet.

Every refusal is a FileRefused with a Chinese message for the clerk; nothing is read into the
database here. Cell-level problems (formulas, merged cells) are reported per cell by the checker,
which gets them from `Sheet.formulas` / `Sheet.merged`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from xml.parsers import expat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.core.errors import ValidationError

MAX_FILE_BYTES = 100 * 1024 * 1024  # ~1.5 million house rows in XLSX; a bigger file is split
MAX_SHEET_BYTES = 1024 * 1024 * 1024  # uncompressed: a "zip bomb" stops here
MAX_ROWS = 1_000_000
ENCODINGS = ("auto", "utf-8", "gb18030")


class FileRefused(ValidationError):
    """The file as a whole cannot be imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="path")


@dataclass
class Sheet:
    header: list[str]
    rows: Iterable[tuple[int, tuple[Any, ...]]]  # (row number in the file, cells), blank rows left out; once
    encoding: str = ""  # for CSV: the encoding used
    merged: list[str] = field(default_factory=list)  # merged ranges, e.g. "A3:A5"
    expected: int | None = None  # data rows, when known before reading them (for the progress bar)


def _size_check(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileRefused(f"找不到文件：{path}") from None
    except OSError as exc:
        raise FileRefused(f"无法读取文件：{exc.strerror or exc}") from None
    if path.is_dir():
        raise FileRefused(f"这是一个文件夹，不是文件：{path}")
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"文件过大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 "
                          f"{MAX_FILE_BYTES // 1024 // 1024} MB，请拆分成几个文件分批导入")
    if size == 0:
        raise FileRefused("文件是空的")
    return size


def read(path: str | Path, encoding: str = "auto") -> Sheet:
    path = Path(path).expanduser()
    _size_check(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileRefused("文件扩展名是 .xlsx，但内容不是 Excel 文件（可能已损坏）")
    return _read_csv(path, encoding)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _trimmed(cells: tuple) -> tuple:
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells[:end]


def _read_xlsx(path: Path) -> Sheet:
    from services.transfer import xlsx_read

    errors = (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, expat.ExpatError)
    try:
        expected, merged = xlsx_read.survey(path, MAX_SHEET_BYTES)
        rows = xlsx_read.read_rows(path, MAX_SHEET_BYTES)
        number, cells = next(rows, (0, ()))
    except xlsx_read.TooBig:
        raise FileRefused("Excel 文件解压后过大，请拆分成几个文件分批导入") from None
    except errors as exc:
        raise FileRefused(f"文件不是有效的 Excel（.xlsx）文件，或已损坏：{exc}") from None
    if number != 1 or not _header(cells):
        raise FileRefused("第1行应是导入模板的表头，但它是空的")

    def body():
        count = 0
        try:
            for number, cells in rows:
                cells = _trimmed(tuple(_cell(v) for v in cells))
                if cells:
                    count += 1
                    if count > MAX_ROWS:
                        raise FileRefused(f"文件超过 {MAX_ROWS:,} 行，请拆分成几个文件分批导入")
                    yield number, cells
        except errors as exc:
            raise FileRefused(f"Excel 文件已损坏，无法读完：{exc}") from None

    # The rows stream into the checker: 100,000 rows of raw cells would cost ~100 MB held at once.
    return Sheet(_header(cells), body(), merged=merged, expected=expected)


def _header(cells) -> list[str]:
    return [("" if v is None else str(v)).strip() for v in _trimmed(tuple(_cell(v) for v in cells))]


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """(text, encoding used). auto: a UTF-8 BOM, else UTF-8 if it decodes, else GB18030."""
    if encoding not in ENCODINGS:
        raise FileRefused(f"不支持的文件编码：{encoding}（可选 UTF-8 或 GB18030）")
    if encoding == "auto":
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "UTF-8（带 BOM）"
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            encoding = "gb18030"
    try:
        if encoding == "utf-8":
            return data.decode("utf-8-sig"), "UTF-8"
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise FileRefused(f"文件不是 {encoding.upper()} 编码的文本（第 {exc.start} 字节起无法识别），"
                          "请确认编码或另存为 .xlsx") from None


def _read_csv(path: Path, encoding: str) -> Sheet:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise FileRefused("文件不是电子表格（Excel .xlsx 或 CSV 文本）")
    text, used = decode(data, encoding)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = _header(next(reader, []))
        body = []
        for number, cells in enumerate(reader, start=2):  # the row number Excel shows
            cells = _trimmed(tuple(_cell(v) for v in cells))
            if cells:
                body.append((number, cells))
                if len(body) > MAX_ROWS:
                    raise FileRefused(f"文件超过 {MAX_ROWS:,} 行，请拆分成几个文件分批导入")
    except csv.Error as exc:
        raise FileRefused(f"CSV 文件格式不正确：{exc}") from None
    if len(header) < 2:
        raise FileRefused("文件不是电子表格：第一行应是导入模板的表头（各列以逗号分隔）")
    return Sheet(header, body, encoding=used, expected=len(body))

