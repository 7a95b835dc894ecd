"""数据导入 (BY-06): pick the kind and the file, check every row, read the report, confirm.

F5 checks (nothing is written); F2 imports a file whose check found nothing wrong; with problems,
F7 imports only the valid rows after a second confirmation; F6 downloads the error report, F8 the
kind's template. Checking and importing run in a worker with a progress bar, so the screen stays
responsive; the service checks the file again inside its own transaction before writing.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, ProgressBar, Static

from screens.common.deliver import deliver_bytes
from screens.common.dialogs import ConfirmDialog
from services.core.errors import ServiceError
from services.transfer import importer
from services.transfer.export import MIME_TYPE
from services.transfer.kinds import KINDS
from tui import calls
from tui.screens_base import LeanScreen
from tui.table import Table
from tui.widgets import FieldRow, LeanFooter, PlainStatic

ENCODING_LABELS = {"auto": "自动识别", "utf-8": "UTF-8", "gb18030": "GB18030"}
ISSUE_COLUMNS = importer.ISSUE_COLUMNS
GROUP = "import"


class ImportScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    ImportScreen #choices { height: 1; padding: 0 1; }
    ImportScreen #kind, ImportScreen #encoding { width: auto; padding-right: 3; }
    ImportScreen FieldRow > CompactInput { width: 1fr; }
    ImportScreen FieldRow > .field-error { width: 0; }
    ImportScreen #columns { height: auto; max-height: 3; color: $text-muted; padding: 0 1; }
    ImportScreen #progress-row { height: 1; padding: 0 1; }
    ImportScreen ProgressBar { width: 40; }
    ImportScreen #stage { width: 1fr; padding-left: 1; }
    ImportScreen #summary { height: auto; padding: 0 1; }
    ImportScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("f5", "check", "检查", id="transfer.check"),
        Binding("f2", "import", "确认导入", id="transfer.import"),
        Binding("f7", "import_valid", "仅导入正确的行", id="transfer.import_valid"),
        Binding("f3", "next_kind", "导入类型", id="transfer.kind"),
        Binding("f4", "next_encoding", "编码", id="transfer.encoding"),
        Binding("f6", "report", "下载错误报告", id="transfer.report"),
        Binding("f8", "template", "下载模板", id="transfer.template"),
        Binding("escape", "app.pop_screen", "返回", id="transfer.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "houses"
        self.encoding = "auto"
        self.result: importer.ImportResult | None = None
        self.checked_for: tuple[str, str, str] | None = None  # (kind, path, encoding) of self.result

    def compose(self) -> ComposeResult:
        yield Static("数据导入", classes="title", markup=False)
        with Horizontal(id="choices"):
            yield PlainStatic(self._kind_text(), id="kind")
            yield PlainStatic(self._encoding_text(), id="encoding")
        yield FieldRow("文件路径", "path", max_length=500, placeholder="/home/…/房屋.xlsx 或 .csv", required=True)
        yield PlainStatic(self._columns_text(), id="columns")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=None, show_eta=False, id="bar")
            yield PlainStatic("", id="stage")
        yield PlainStatic("请输入文件路径，按 F5 检查。检查不写入任何数据。", id="summary", classes="message")
        table = Table(id="issues", cursor_type="row", zebra_stripes=False)
        table.add_columns(*ISSUE_COLUMNS)
        yield table
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    # -- choices ---------------------------------------------------------------------------
    def _kind_text(self) -> str:
        return f"导入类型：{KINDS[self.kind].label}（F3 切换）"

    def _encoding_text(self) -> str:
        return f"CSV 编码：{ENCODING_LABELS[self.encoding]}（F4 切换）"

    def _columns_text(self) -> str:
        return "列：" + "、".join(c.title + ("" if c.required else "(选填)") for c in KINDS[self.kind].columns)

    def action_next_kind(self) -> None:
        keys = list(KINDS)
        self.kind = keys[(keys.index(self.kind) + 1) % len(keys)]
        self.query_one("#kind", PlainStatic).set_text(self._kind_text())
        self.query_one("#columns", PlainStatic).set_text(self._columns_text())
        self._forget()

    def action_next_encoding(self) -> None:
        keys = list(ENCODING_LABELS)
        self.encoding = keys[(keys.index(self.encoding) + 1) % len(keys)]
        self.query_one("#encoding", PlainStatic).set_text(self._encoding_text())
        self._forget()

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#path-error", PlainStatic).set_text("")

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    def _forget(self) -> None:
        self.result = None
        self.checked_for = None
        self.refresh_bindings()

    def _wanted(self) -> tuple[str, str, str]:
        return self.kind, self.query_one("#path", Input).value.strip(), self.encoding

    # -- work ------------------------------------------------------------------------------
    def _busy(self) -> bool:
        if any(w.group == GROUP and not w.is_finished for w in self.workers):
            self.app.notify("正在处理上一个文件，请稍候", severity="warning", markup=False)
            return True
        return False

    def action_check(self) -> None:
        if self._busy():
            return
        kind, path, encoding = self._wanted()
        self._start("正在检查")
        calls.run(self, importer.check_file, kind, path, encoding, done=self._checked, failed=self._failed,
                  progress=self._progress, group=GROUP)
        self.checked_for = (kind, path, encoding)

    def action_import(self) -> None:
        if self.result is None or self.checked_for != self._wanted():
            self.say("请先按 F5 检查文件，确认没有问题后再导入")
            return
        if not self.result.ok:
            self.say(f"文件有 {self.result.issue_count} 处问题，不能全部导入：请改正后重新检查，"
                     "或按 F7 仅导入正确的行")
            return
        self.app.push_screen(ConfirmDialog(f"确定导入 {self.result.filename} 吗？\n{self.result.summary}"),
                             lambda yes: yes and self._import(False))

    def action_import_valid(self) -> None:
        if self.result is None or self.checked_for != self._wanted():
            self.say("请先按 F5 检查文件")
            return
        bad = self.result.rows - self.result.valid_rows
        if not bad:
            self.action_import()
            return
        self.app.push_screen(ConfirmDialog(
            f"文件中有 {bad} 行有问题，将被跳过、不会导入。\n确定只导入正确的 {self.result.valid_rows} 行吗？"),
            lambda yes: yes and self._import(True))

    def _import(self, valid_only: bool) -> None:
        if self._busy():
            return
        kind, path, encoding = self._wanted()
        self._start("正在导入")
        calls.run(self, importer.import_file, kind, path, encoding, valid_only=valid_only, done=self._imported,
                  failed=self._failed, progress=self._progress, group=GROUP)

    def _start(self, stage: str) -> None:
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#stage", PlainStatic).set_text(stage + "……")
        self.say("")

    def _progress(self, done: int, total: int, what: str) -> None:
        bar = self.query_one("#bar", ProgressBar)
        if total:
            bar.update(total=total, progress=done)
            self.query_one("#stage", PlainStatic).set_text(f"{what} {done:,} / {total:,} 行")
        else:
            self.query_one("#stage", PlainStatic).set_text(what + "……")

    def _finish(self, stage: str) -> None:
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=1, progress=1)
        self.query_one("#stage", PlainStatic).set_text(stage)

    def _failed(self, error: ServiceError) -> None:
        self._finish("")
        self._forget()
        if error.field == "path":
            self.query_one("#path-error", PlainStatic).set_text("")
        self.say(error.message)
        self.query_one("#path", Input).focus()

    def _checked(self, result: importer.ImportResult) -> None:
        self._finish("检查完成")
        self._show(result)
        self.say("\n".join(result.lines()) + ("\n按 F2 确认导入。" if result.ok else
                                              "\n按 F6 下载错误报告；改正后重新检查，或按 F7 仅导入正确的行。"))

    def _imported(self, result: importer.ImportResult) -> None:
        self._finish("导入完成" if result.written else "未导入")
        self._show(result)
        self.say("\n".join(result.lines()))
        if result.written:
            self.app.notify(result.summary, title=f"已导入 {result.filename}", timeout=10, markup=False)
            self._forget()

    def _show(self, result: importer.ImportResult) -> None:
        self.result = result
        self.refresh_bindings()
        table = self.query_one("#issues", DataTable)
        table.clear()
        table.add_rows((str(i.row), i.column, i.value, i.message) for i in result.issues)

    def say(self, message: str) -> None:
        self.query_one("#summary", PlainStatic).set_text(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Import keys only once a check has a result, the report only when it found problems."""
        if action == "import":
            return self.result is not None and self.result.ok and not self.result.written
        if action == "import_valid":
            return self.result is not None and not self.result.ok and not self.result.written
        if action == "report":
            return self.result is not None and not self.result.ok
        return True

    # -- files -----------------------------------------------------------------------------
    def action_report(self) -> None:
        result = self.result
        if result is None or result.ok:
            return

        def make(db, actor) -> None:
            report = importer.error_report(db, actor, result)
            _deliver(self.app, report.data, report.filename, "导入错误报告")

        calls.run(self, make, group="report")

    def action_template(self) -> None:
        kind = self.kind

        def make(db, actor) -> None:
            _deliver(self.app, importer.template(kind), f"导入模板_{KINDS[kind].label}.xlsx", "导入模板")

        calls.run(self, make, group="report")


def _deliver(app, data: bytes, filename: str, title: str) -> None:
    try:
        deliver_bytes(app, data, filename.replace("、", "_"), MIME_TYPE, title)
    except OSError as exc:
        raise ServiceError(f"无法保存文件：{exc}") from exc
