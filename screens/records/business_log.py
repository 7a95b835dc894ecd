"""业务流水查询 (BJ-22): filter by date range (the last three months at first), 业务类型 and 交易渠道 (choices of
the values that exist), 申请编号 (exact); keyset pages; Enter opens the business a row belongs to."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from textual.screen import Screen
from screens.transfer.export import Exportable
from services.core.errors import ServiceError
from services.records import business_log_query as q
from services.transfer.export import ExportTable
from tui import calls
from tui.choice import ChoiceField
from tui.screens_base import LeanScreen
from tui.table import Table, time_cell
from tui.widgets import FieldRow, LeanFooter, PlainStatic

INPUTS = ("start", "end", "application_no")
CHOICES = ("business_type", "channel")
FIELDS = ("start", "end", "business_type", "channel", "application_no")
COLUMNS = ("流水号", "申请编号", "业务类型", "交易渠道", "办理时间", "经办人", "状态")
ALL = "全部"


class ChoiceRow(FieldRow):
    def __init__(self, label: str, field: str) -> None:
        super().__init__(label, field)
        self._input = ChoiceField((ALL,), ALL, id=field)


class BusinessLogScreen(Exportable, LeanScreen[None]):
    EXPORT_TITLE = "业务流水"
    DEFAULT_CSS = """
    BusinessLogScreen Horizontal { height: 1; }
    BusinessLogScreen DataTable { scrollbar-size-vertical: 1; }
    BusinessLogScreen FieldRow { width: 40; }
    BusinessLogScreen FieldRow > .field-label { width: 10; }
    BusinessLogScreen FieldRow > CompactInput { width: 14; }
    BusinessLogScreen FieldRow > ChoiceField { width: 28; }
    BusinessLogScreen #row-application_no > CompactInput { width: 20; }
    BusinessLogScreen FieldRow > .field-error { display: none; }  /* the message line below the filters says it */
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

    def __init__(self, open_business: Callable[[str, int, str], Screen | None] | None = None) -> None:
        super().__init__()
        # The navigation owner (screens.shell.registry) says which screen opens a row's business.
        self.open_business = open_business
        self.cursors: list[q.Cursor | None] = [None]  # the `after` of each page shown so far
        self.next: q.Cursor | None = None
        self.shown: list[q.LogRow] = []

    def compose(self) -> ComposeResult:
        yield Static("业务流水查询", classes="title", markup=False)
        with Horizontal():
            yield FieldRow("开始日期", "start", max_length=10, placeholder="2026-01-01")
            yield FieldRow("结束日期", "end", max_length=10, placeholder="2026-12-31")
        with Horizontal():
            yield ChoiceRow("业务类型", "business_type")
            yield ChoiceRow("交易渠道", "channel")
        with Horizontal():
            yield FieldRow("申请编号", "application_no", max_length=24)
        yield PlainStatic("", id="filter-message", classes="message")
        table = Table(id="log", cursor_type="row", zebra_stripes=False, compact=True)  # 7 columns in 80
        for title in COLUMNS:  # at 80 columns a long business type is cut with …
            table.add_column(title, width=10 if title == "业务类型" else None)
        yield table
        yield PlainStatic("", id="page-info", classes="hint")
        yield LeanFooter()

    def on_mount(self) -> None:
        self._set_default_dates()
        start = self.query_one("#start", Input)
        start.focus()
        start.select_all()  # a date typed over the default replaces it
        calls.run(self, q.choices, done=self._choices, group="choices")
        self.action_search()

    def _set_default_dates(self) -> None:
        start, end = q.default_range()
        self.query_one("#start", Input).value = start.isoformat()
        self.query_one("#end", Input).value = end.isoformat()

    def _choices(self, found: tuple[list[str], list[str]]) -> None:
        for field, values in zip(CHOICES, found):
            widget = self.query_one(f"#{field}", ChoiceField)
            widget.choices = (ALL, *values)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def on_key(self, event) -> None:
        focused = self.focused
        if event.key == "enter":
            if isinstance(focused, ChoiceField):
                event.stop()
                self.action_search()
            elif isinstance(focused, DataTable):
                event.stop()
                self.action_open()

    def action_search(self) -> None:
        self.cursors = [None]
        self._load(None)

    def action_reset(self) -> None:
        for field in INPUTS:
            self.query_one(f"#{field}", Input).value = ""
        for field in CHOICES:
            self.query_one(f"#{field}", ChoiceField).set_value(ALL)
        self._set_default_dates()
        self.action_search()

    def action_page(self, step: int) -> None:
        if step > 0:
            if self.next is None:
                self.say("已是最后一页")
                return
            self.cursors.append(self.next)
        else:
            if len(self.cursors) <= 1:
                self.say("已是第一页")
                return
            self.cursors.pop()
        self._load(self.cursors[-1])

    def _values(self) -> dict[str, str]:
        values = {f: self.query_one(f"#{f}", Input).value for f in INPUTS}
        for field in CHOICES:
            value = self.query_one(f"#{field}", ChoiceField).value
            values[field] = "" if value == ALL else value
        return values

    def export_source(self):
        """Every row of the current filter, not only the page on screen."""
        values = self._values()

        def rows(db, actor) -> ExportTable:
            return ExportTable(self.EXPORT_TITLE, COLUMNS, [
                (r.serial_no, r.application_no, r.business_type, r.channel, time_cell(r.occurred_at), r.operator,
             r.status)
                for r in q.export_rows(db, actor, _filter(values))])

        return rows

    def _load(self, after: q.Cursor | None) -> None:
        values, page = self._values(), len(self.cursors)
        calls.run(self, lambda db, actor: q.query_log(db, actor, _filter(values), page, after), done=self._show,
                  group="load")

    def say(self, message: str) -> None:
        self.query_one("#filter-message", PlainStatic).set_text(message)

    def show_error(self, error: ServiceError) -> None:
        self.say(error.message)
        if error.field in FIELDS:
            self.query_one(f"#{error.field}").focus()

    def _show(self, result: q.LogPage) -> None:
        self.next = result.next
        self.shown = list(result.rows)
        self.say("" if result.rows else "暂无数据")
        table = self.query_one("#log", DataTable)
        table.clear()
        table.add_rows(
            (r.serial_no, r.application_no, r.business_type, r.channel, time_cell(r.occurred_at), r.operator,
             r.status)
            for r in result.rows
        )
        more = "，PageDown 下一页" if result.next else ""
        back = "，PageUp 上一页" if len(self.cursors) > 1 else ""
        self.query_one("#page-info", PlainStatic).set_text(
            f"共 {result.total_text} 条　第 {len(self.cursors)} 页 / 共 {result.pages} 页"
            f"（Enter 打开业务{more}{back}）")

    def action_open(self) -> None:
        table = self.query_one("#log", DataTable)
        if not self.shown or table.cursor_row < 0:
            self.say("请先选择一笔业务")
            return
        number = self.shown[table.cursor_row].application_no
        calls.run(self, q.target_of, number, done=self._open, group="open")

    def _open(self, target: q.Target) -> None:
        screen = (self.open_business(target.kind, target.target_id, self.app.actor.role)
                  if self.open_business else None)
        if screen is None:
            self.say("该类业务没有可打开的界面")
        else:
            self.app.push_screen(screen)


def _filter(values: dict[str, str]) -> q.LogFilter:
    return q.LogFilter(
        start=q.parse_date(values["start"], "start", "开始日期"),
        end=q.parse_date(values["end"], "end", "结束日期"),
        business_type=values["business_type"].strip() or None,
        channel=values["channel"].strip() or None,
        application_no=values["application_no"],
    )
