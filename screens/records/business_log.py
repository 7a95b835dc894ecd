"""业务流水查询 (BJ-22): filter by date range, business type, channel and application number."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from tui.screens_base import LeanScreen
from textual.widgets import DataTable, Input, Static

from screens.transfer.export import Exportable
from services.records import business_log_query as q
from services.transfer.export import ExportTable
from tui import calls
from tui.table import Table
from tui.widgets import FieldRow, LeanFooter, PlainStatic

FIELDS = ("start", "end", "business_type", "channel", "application_no")
COLUMNS = ("流水号", "申请编号", "业务类型", "交易渠道", "办理时间", "经办人", "状态")


class BusinessLogScreen(Exportable, LeanScreen[None]):
    EXPORT_TITLE = "业务流水"
    DEFAULT_CSS = """
    BusinessLogScreen Horizontal { height: 1; }
    BusinessLogScreen FieldRow { width: 40; }
    BusinessLogScreen FieldRow > .field-label { width: 10; }
    BusinessLogScreen FieldRow > CompactInput { width: 14; }
    BusinessLogScreen FieldRow > .field-error { width: 0; }
    BusinessLogScreen #filter-message { height: 1; }
    BusinessLogScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("f5", "search", "查询", id="business_log.search"),
        Binding("f6", "reset", "重新筛选", id="business_log.reset"),
        Binding("pagedown", "page(1)", "下一页", show=False, id="business_log.page_down"),
        Binding("pageup", "page(-1)", "上一页", show=False, id="business_log.page_up"),
        Binding("escape", "app.pop_screen", "返回", id="business_log.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 1

    def compose(self) -> ComposeResult:
        yield Static("业务流水查询", classes="title", markup=False)
        with Horizontal():
            yield FieldRow("开始日期", "start", max_length=10, placeholder="2026-01-01")
            yield FieldRow("结束日期", "end", max_length=10, placeholder="2026-12-31")
        with Horizontal():
            yield FieldRow("业务类型", "business_type", max_length=30)
            yield FieldRow("交易渠道", "channel", max_length=10)
        with Horizontal():
            yield FieldRow("申请编号", "application_no", max_length=24)
        yield PlainStatic("", id="filter-message", classes="message")
        table = Table(id="log", cursor_type="row", zebra_stripes=False)
        table.add_columns(*COLUMNS)
        yield table
        yield PlainStatic("", id="page-info", classes="hint")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()
        self.action_search()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def action_search(self) -> None:
        self.page = 1
        self._load(self._values(), self.page)

    def action_reset(self) -> None:
        for field in FIELDS:
            self.query_one(f"#{field}", Input).value = ""
        self.action_search()

    def action_page(self, step: int) -> None:
        self._load(self._values(), self.page + step)

    def _values(self) -> dict[str, str]:
        return {f: self.query_one(f"#{f}", Input).value for f in FIELDS}

    def export_source(self):
        """Every row of the current filter, not only the page on screen."""
        values = self._values()

        def rows(db, actor) -> ExportTable:
            return ExportTable(self.EXPORT_TITLE, COLUMNS, [
                (r.serial_no, r.application_no, r.business_type, r.channel, r.occurred_at, r.operator, r.status)
                for r in q.export_rows(db, actor, _filter(values))])

        return rows

    def _load(self, values: dict[str, str], page: int) -> None:
        calls.run(self, lambda db, actor: q.query_log(db, actor, _filter(values), page), done=self._show)

    def show_error(self, error) -> None:
        self.query_one("#filter-message", PlainStatic).set_text(error.message)
        if error.field in FIELDS:
            self.query_one(f"#{error.field}", Input).focus()

    def _show(self, result: q.LogPage) -> None:
        self.page = result.page
        self.query_one("#filter-message", PlainStatic).set_text("")
        table = self.query_one("#log", DataTable)
        table.clear()
        table.add_rows(
            (r.serial_no, r.application_no, r.business_type, r.channel, r.occurred_at, r.operator, r.status)
            for r in result.rows
        )
        self.query_one("#page-info", PlainStatic).set_text(
            f"共 {result.total} 条　第 {result.page} 页 / 共 {result.pages} 页（PageUp/PageDown 翻页）"
        )


def _filter(values: dict[str, str]) -> q.LogFilter:
    return q.LogFilter(
        start=q.parse_date(values["start"], "start", "开始日期"),
        end=q.parse_date(values["end"], "end", "结束日期"),
        business_type=values["business_type"].strip() or None,
        channel=values["channel"].strip() or None,
        application_no=values["application_no"],
    )
