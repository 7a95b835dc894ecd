"""到户支取详细信息: the per-house lines of an order, with totals, closed with 【我知道了】."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from screens.transfer.export import Exportable
from services.core.money import format_area, format_fen
from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.table import Table
from tui.widgets import LeanFooter

LINE_COLUMNS = ("自然幢", "单元", "层", "房号", "业主", "面积(㎡)", "分摊(元)", "可用余额(元)", "扣划(元)", "欠款(元)")


def line_cells(line) -> tuple:
    return (line.building, line.unit, line.floor, line.room_no, safe(line.owner), format_area(line.area),
            format_fen(line.share), format_fen(line.available), format_fen(line.deducted), format_fen(line.arrears))


def totals_text(lines) -> str:
    return (f"合计 {len(lines)} 户　面积 {format_area(sum(x.area for x in lines))} ㎡　"
            f"分摊 {format_fen(sum(x.share for x in lines))} 元　扣划 {format_fen(sum(x.deducted for x in lines))} 元　"
            f"欠款 {sum(1 for x in lines if x.arrears)} 户 {format_fen(sum(x.arrears for x in lines))} 元")


class LinesDialog(Exportable, LeanModalScreen[None]):
    EXPORT_TITLE = "到户支取详细信息"
    DEFAULT_CSS = """
    LinesDialog { align: center middle; }
    LinesDialog > Vertical { width: 100%; height: 100%; border: solid $primary; }
    LinesDialog .notice-title { height: 1; text-style: bold; text-align: center; width: 1fr; }
    LinesDialog DataTable { height: 1fr; }
    LinesDialog #totals { height: auto; padding: 0 1; }
    """
    BINDINGS = [Binding("enter,escape", "close", "我知道了", id="lines.close")]

    def __init__(self, row, lines) -> None:
        super().__init__()
        self.row = row
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(f"到户支取详细信息　{self.row.application_no}　{self.row.community}"),
                         classes="notice-title")
            table = Table(cursor_type="row", zebra_stripes=False)
            table.add_columns(*LINE_COLUMNS)
            table.add_rows(line_cells(x) for x in self.lines)
            yield table
            yield Static(totals_text(self.lines), id="totals", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
