"""Import (BY-06): check a file, then write it whole — or only its valid rows when the operator
says so after seeing the report. The screen and `wxzj import` both call these.

    result = importer.check_file(db, actor, "houses", path)            # nothing written
    result = importer.import_file(db, actor, "houses", path)           # all or nothing
    result = importer.import_file(db, actor, "houses", path, valid_only=True)
    data = importer.error_report(result)                                # the issues as XLSX
    data = importer.template("houses")

The check reads in its own read transaction; the import checks again inside its write
transaction (the database may have changed since the operator looked) and writes only if the
check allows it, so nothing is ever half-written. Every import writes its business-log row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.errors import ServiceError
from services.core.session_check import checked_read, checked_write
from services.transfer import export, houses, reader, xlsx
from services.transfer.common import Checked, Issue, Progress, district_scope, merged_cell_set
from services.transfer.estate import apply_buildings, apply_communities, check_buildings, check_communities
from services.transfer.kinds import KINDS, Kind, kind as kind_spec, locate

_log = logging.getLogger("wxzj.transfer")
BUSINESS_TYPE = "数据导入"
ISSUE_COLUMNS = ("行号", "列", "内容", "问题")
SHOWN_ISSUES = 1000  # issues kept in the result (the report says how many there were)

_CHECKS = {"communities": check_communities, "buildings": check_buildings, "houses": houses.check}
_APPLY = {"communities": apply_communities, "buildings": apply_buildings, "houses": houses.apply}


@dataclass(frozen=True)
class ImportResult:
    kind: str
    label: str
    filename: str
    encoding: str
    rows: int
    valid_rows: int
    issues: tuple[Issue, ...]
    issue_count: int
    summary: str  # 房屋：新增 …，更新 …，不变 …
    written: bool
    valid_only: bool = False

    @property
    def ok(self) -> bool:
        return self.issue_count == 0

    def lines(self) -> list[str]:
        head = f"{self.filename}（{self.label}，{self.encoding or 'Excel'}）：共 {self.rows} 行"
        if self.ok:
            state = "已导入" if self.written else "检查通过，可以导入"
            return [f"{head}，全部正确。{state}。", self.summary]
        bad = self.rows - self.valid_rows
        state = (f"已导入正确的 {self.valid_rows} 行，跳过有问题的 {bad} 行" if self.written else
                 "未写入任何数据：请改正后重新导入，或选择仅导入正确的行")
        return [f"{head}，{bad} 行有问题（共 {self.issue_count} 处）。{state}。", self.summary]


def _check(session, actor: Actor, spec: Kind, sheet: reader.Sheet, progress: Progress | None) -> Checked:
    scope = district_scope(session, actor)
    columns = locate(spec, sheet.header)
    checked = Checked(spec)
    checked.merged_cells = merged_cell_set(sheet.merged, columns)
    checked.expected = sheet.expected
    if progress:
        progress(0, sheet.expected or 0, "正在检查")
    _CHECKS[spec.key](session, checked, columns, sheet.rows, scope, progress)
    if not checked.rows:
        checked.issue(2, "", "", "文件中没有数据行")
    checked.issues.sort(key=lambda i: i.row)
    return checked


def _result(spec: Kind, path: Path, sheet: reader.Sheet, checked: Checked, written: bool,
            valid_only: bool) -> ImportResult:
    bad = len(checked.bad_rows)
    return ImportResult(spec.key, spec.label, path.name, sheet.encoding, checked.rows, checked.rows - bad,
                        tuple(checked.issues[:SHOWN_ISSUES]), len(checked.issues), checked.counts.text(spec.label),
                        written, valid_only)


def _read(path: str | Path, encoding: str, progress: Progress | None) -> tuple[Path, reader.Sheet]:
    if progress:
        progress(0, 0, "正在读取文件")
    path = Path(str(path).strip()).expanduser()
    if not str(path).strip() or str(path) == ".":
        raise ServiceError("请输入要导入的文件路径", field="path")
    return path, reader.read(path, encoding)


def check_file(db, actor: Actor, kind: str, path: str | Path, encoding: str = "auto",
               progress: Progress | None = None) -> ImportResult:
    """Read and check every row; write nothing."""
    spec = kind_spec(kind)
    with checked_read(db, actor) as session:
        district_scope(session, actor)  # refuse before reading a file for somebody who may not import
    path, sheet = _read(path, encoding, progress)
    with checked_read(db, actor) as session:
        checked = _check(session, actor, spec, sheet, progress)
    return _result(spec, path, sheet, checked, False, False)


def import_file(db, actor: Actor, kind: str, path: str | Path, encoding: str = "auto", *, valid_only: bool = False,
                progress: Progress | None = None, channel: str | None = None) -> ImportResult:
    """Check, then write in one transaction: everything, or (valid_only) the rows without issues.
    With issues and not valid_only, nothing is written and the result says why."""
    spec = kind_spec(kind)
    with checked_read(db, actor) as session:
        district_scope(session, actor)
    path, sheet = _read(path, encoding, progress)
    try:
        with checked_write(db, actor) as session:
            checked = _check(session, actor, spec, sheet, progress)
            if checked.issues and not valid_only:
                return _result(spec, path, sheet, checked, False, False)
            if checked.records:
                _APPLY[spec.key](session, checked, progress)
            log = record_action(session, actor, BUSINESS_TYPE, status="成功" if not checked.issues else "部分成功",
                                summary=f"{path.name}：{checked.counts.text(spec.label)}"[:500],
                                detail={"kind": spec.key, "file": path.name, "rows": checked.rows,
                                        "skipped_rows": len(checked.bad_rows)})
            if channel:
                log.channel = channel
    except IntegrityError:
        _log.warning("import %s of %s collided with a concurrent change", spec.key, path.name, exc_info=True)
        raise ServiceError("导入时数据被他人同时修改，未写入任何数据，请重新导入") from None
    _log.info("import %s file=%s rows=%d skipped=%d by=%s", spec.key, path.name, checked.rows,
              len(checked.bad_rows), actor.username)
    return _result(spec, path, sheet, checked, True, valid_only)


def error_report(db, actor: Actor, result: ImportResult) -> export.ExportResult:
    """The issues of a check as an XLSX (row, column, value, message)."""
    table = export.ExportTable(f"导入错误报告_{result.label}", ISSUE_COLUMNS,
                               [(i.row, i.column, i.value, i.message) for i in result.issues])
    return export.export_xlsx(db, actor, table)


def template(kind: str) -> bytes:
    """An empty import file of the kind: the header only (an example row would be imported by a clerk
    who forgets to delete it); ID and room-number columns are formatted as text, so that Excel keeps
    their digits. What each column holds is in `describe`."""
    spec = kind_spec(kind)
    header = [c.title for c in spec.columns]
    widths = [max(export.display_width(c.title), export.display_width(str(c.example))) + 4 for c in spec.columns]
    return xlsx.workbook(spec.label, header, widths, [], text_style=[c.text_format for c in spec.columns],
                         row_count=0)


def describe(kind: str) -> list[str]:
    """The columns of a kind, for the screen and the command line: 列名（必填），例：…"""
    spec = kind_spec(kind)
    lines = [f"{spec.label}：{spec.note}"]
    lines += [f"  {c.title}（{'必填' if c.required else '选填'}）" + (f"，例：{c.example}" if c.example != "" else "")
              for c in spec.columns]
    return lines


def kinds() -> list[tuple[str, str, str]]:
    return [(k.key, k.label, k.note) for k in KINDS.values()]
