"""到户支取详细信息: the per-house lines of an order, with totals, closed with 【我知道了】."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from screens.transfer.export import Exportable
from services.core.money import format_area, format_fen
from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.lines_view import LinesView
from tui.widgets import LeanFooter

# One house per line, 房屋 in one column so that 扣划 and 欠款 still show at 80 columns.
LINE_COLUMNS = (("房屋", "l"), ("业主", "l"), ("面积(㎡)", "r"), ("分摊(元)", "r"), ("可用余额(元)", "r"),
                ("扣划(元)", "r"), ("欠款(元)", "r"))


def line_cells(line) -> tuple:
    return (f"{line.building}{line.unit}单元{line.room_no}", line.owner, format_area(line.area),
            format_fen(line.share), format_fen(line.available), format_fen(line.deducted), format_fen(line.arrears))


# 导出Excel keeps the parts of the address apart, for sorting and filtering there.
EXPORT_COLUMNS = ("自然幢", "单元", "层", "房号", "业主", "面积(㎡)", "分摊(元)", "可用余额(元)", "扣划(元)", "欠款(元)")


def export_cells(line) -> tuple:
    return (line.building, line.unit, line.floor, line.room_no, line.owner, format_area(line.area),
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
    LinesDialog LinesView { height: 1fr; }
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
            yield LinesView(LINE_COLUMNS, self.lines, line_cells)
            yield Static(totals_text(self.lines), id="totals", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(LinesView).focus()

    def export_source(self):
        return self.query_one(LinesView).export_table(self.export_title(), EXPORT_COLUMNS, export_cells)

    def action_close(self) -> None:
        self.dismiss(None)
