"""补打 (BJ-23): the organisation's printed documents, filtered by serial number and document
type; Enter on a row prints it again from the data it was first printed from."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from reports import DOC_TYPES
from screens.common.deliver import start_reprint
from screens.transfer.export import Exportable
from services.transfer.export import ExportTable
from services.printing import documents as printing
from tui import calls
from tui.screens_base import LeanScreen
from tui.text import safe
from tui.table import Table, time_cell
from tui.widgets import FieldRow, LeanFooter, PlainStatic

COLUMNS = ("单据流水号", "单据类型", "申请编号", "打印时间", "打印人", "补打自", "业务类型")
TYPE_CHOICES = ("",) + DOC_TYPES  # F3 steps through them; "" is every type
SHORT_LABELS = {"": "全部", "task-order": "任务单", "sign-sheet": "签字确认表", "arrears": "催缴通知单"}


class ReprintScreen(Exportable, LeanScreen[None]):
    EXPORT_TITLE = "打印单据"
    DEFAULT_CSS = """
    ReprintScreen Horizontal { height: 1; }
    ReprintScreen FieldRow { width: 44; }
    ReprintScreen FieldRow > .field-label { width: 12; }
    ReprintScreen FieldRow > CompactInput { width: 20; }
    ReprintScreen FieldRow > .field-error { display: none; }  /* the message line below the filters says it */
    ReprintScreen #doc-type { width: 1fr; padding: 0 1; }
    ReprintScreen #filter-message { height: 1; }
    ReprintScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("f5", "search", "查询", id="reprint.search"),
        Binding("f3", "next_type", "单据类型", id="reprint.next_type"),
        Binding("f4", "reprint", "补打", id="reprint.reprint"),
        Binding("pagedown", "page(1)", "下一页", show=False, id="reprint.page_down"),
        Binding("pageup", "page(-1)", "上一页", show=False, id="reprint.page_up"),
        Binding("escape", "app.pop_screen", "返回", id="reprint.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.doc_type = ""
        self.rows: dict[str, printing.PrintedRow] = {}

    def compose(self) -> ComposeResult:
        yield Static("补打", classes="title", markup=False)
        with Horizontal():
            yield FieldRow("单据流水号", "serial_no", max_length=24, placeholder="DY…")
            yield PlainStatic(self._type_text(), id="doc-type")
        yield PlainStatic("", id="filter-message", classes="message")
        table = Table(id="printed", cursor_type="row", zebra_stripes=False, compact=True)  # 7 columns in 80
        table.add_columns(*COLUMNS)
        yield table
        yield PlainStatic("", id="page-info", classes="hint")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#serial_no", Input).focus()
        self.action_search()

    def _type_text(self) -> str:
        return f"单据类型：{SHORT_LABELS[self.doc_type]}（F3 切换）"

    @on(Input.Submitted, "#serial_no")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()
        self.query_one("#printed", DataTable).focus()

    @on(DataTable.RowSelected, "#printed")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.action_reprint()

    def action_search(self) -> None:
        self.page = 1
        self._load(self.query_one("#serial_no", Input).value, self.doc_type, self.page)

    def action_next_type(self) -> None:
        self.doc_type = TYPE_CHOICES[(TYPE_CHOICES.index(self.doc_type) + 1) % len(TYPE_CHOICES)]
        self.query_one("#doc-type", PlainStatic).set_text(self._type_text())
        self.action_search()

    def action_page(self, step: int) -> None:
        self._load(self.query_one("#serial_no", Input).value, self.doc_type, self.page + step)

    def action_reprint(self) -> None:
        table = self.query_one("#printed", DataTable)
        if not table.row_count:
            self.query_one("#filter-message", PlainStatic).set_text("没有可补打的单据")
            return
        row = self.rows[table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value]
        start_reprint(self, row.serial_no, f"{row.doc_label}（补打）", done=self.action_search)

    def export_source(self):
        """Every printed document of the current filter, not only the page on screen."""
        serial_no, doc_type = self.query_one("#serial_no", Input).value, self.doc_type

        def rows(db, actor) -> ExportTable:
            result = printing.list_printed(db, actor, serial_no, doc_type, page_size=printing.EXPORT_LIMIT)
            return ExportTable(self.EXPORT_TITLE, COLUMNS, [_cells(r) for r in result.rows])

        return rows

    def _load(self, serial_no: str, doc_type: str, page: int) -> None:
        calls.run(self, printing.list_printed, serial_no, doc_type, page=page, done=self._show,
                  failed=lambda error: self.query_one("#filter-message", PlainStatic).set_text(error.message),
                  group="reprint-list")

    def _show(self, result: printing.PrintedPage) -> None:
        self.page = result.page
        self.rows = {row.serial_no: row for row in result.rows}
        self.query_one("#filter-message", PlainStatic).set_text("")
        table = self.query_one("#printed", DataTable)
        table.clear()
        for r in result.rows:
            cells = [safe(c) for c in _cells(r)]
            cells[3] = time_cell(r.printed_at)
            table.add_row(*cells, key=r.serial_no)
        self.query_one("#page-info", PlainStatic).set_text(
            f"共 {result.total} 份　第 {result.page} 页 / 共 {result.pages} 页（Enter 或 F4 补打选中单据）"
        )


def _cells(r: printing.PrintedRow) -> tuple[str, ...]:
    return (r.serial_no, SHORT_LABELS.get(r.doc_type, r.doc_label), r.application_no, r.printed_at[:16],
            r.printed_by, r.reprint_of, r.business_type)
