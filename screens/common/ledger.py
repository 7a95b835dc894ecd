"""分户账 (BY-02): one house's fund account — balance, frozen, available — with its ledger entries and
freezes, newest first. Opened from the review screen (F7 on a line) and from the house card, so it is
shared by both areas."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from screens.transfer.export import Exportable
from services.estate import ledger
from services.core.money import format_area, format_fen
from tui import calls
from tui.screens_base import LeanScreen
from tui.text import safe
from tui.table import Table
from tui.widgets import LeanFooter, PlainStatic

ENTRY_COLUMNS = ("记账时间", "类型", "金额(元)", "记账后余额(元)", "申请编号", "摘要")
FREEZE_COLUMNS = ("冻结时间", "申请编号", "冻结金额(元)", "状态", "解冻/支取时间")


class LedgerScreen(Exportable, LeanScreen[None]):
    EXPORT_TITLE = "分户账"  # the focused table: entries, or the freezes after Tab
    DEFAULT_CSS = """
    LedgerScreen #account { height: auto; }
    LedgerScreen .section { height: 1; padding: 0 1; text-style: bold; }
    LedgerScreen #entries { height: 1fr; }
    LedgerScreen #freezes { height: 7; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "返回", id="ledger.back")]

    def __init__(self, house_id: int) -> None:
        super().__init__()
        self.house_id = house_id

    def compose(self) -> ComposeResult:
        yield Static("分户账", id="ledger-title", classes="title", markup=False)
        yield PlainStatic("正在读取分户账 …", id="account", classes="hint")
        yield Static("账目（最新在前）", classes="section", markup=False)
        entries = Table(id="entries", cursor_type="row", zebra_stripes=False)
        entries.add_columns(*ENTRY_COLUMNS)
        yield entries
        yield Static("冻结（最新在前，Tab 切换）", classes="section", markup=False)
        freezes = Table(id="freezes", cursor_type="row", zebra_stripes=False)
        freezes.add_columns(*FREEZE_COLUMNS)
        yield freezes
        yield PlainStatic("", id="ledger-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#entries", DataTable).focus()
        self._load()

    def _load(self) -> None:
        calls.run(self, ledger.account_view, self.house_id, done=self._show)

    def show_error(self, error) -> None:
        self.query_one("#ledger-message", PlainStatic).set_text(error.message)

    def _show(self, v: ledger.AccountView) -> None:
        self.query_one("#ledger-title", Static).update(safe(f"分户账　{v.house_label}"))
        self.query_one("#account", PlainStatic).set_text(
            f"账号：{v.account_no}　业主：{v.owner_name}　{v.use} {format_area(v.area)} ㎡\n"
            f"余额 {format_fen(v.balance)} 元　冻结 {format_fen(v.frozen)} 元　可用余额 {format_fen(v.available)} 元")
        entries = self.query_one("#entries", DataTable)
        entries.clear()
        entries.add_rows((e.occurred_at[:16], e.kind, format_fen(e.amount), format_fen(e.balance_after),
                          e.application_no, safe(e.memo)) for e in v.entries)
        freezes = self.query_one("#freezes", DataTable)
        freezes.clear()
        freezes.add_rows((f.created_at[:16], f.application_no, format_fen(f.amount), f.status, f.closed_at[:16])
                         for f in v.freezes)
