"""业主表决意见录入 (BY-03): the enterprise copies the signed owners' table into a submitted order,
house by house — 1 同意, 2 不同意, 3 未参与 — and sees the Civil Code art. 278 result as it goes.

Each key is saved at once (nothing typed is lost when the link drops) and the cursor moves on to the
next house. Saves go one after another, in the order the keys were pressed, so a quick typist's
choices for two houses of one owner land in that order.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from services.review import consent
from services.core.money import format_area
from tui import calls
from tui.screens_base import LeanScreen
from tui.text import safe
from tui.table import Table
from tui.widgets import LeanFooter, PlainStatic

COLUMNS = ("自然幢", "单元", "层", "房号", "业主", "面积(㎡)", "表决意见")
CHOICE_COLUMN = "choice"
HINT = "按业主签字确认表逐户录入；同一业主的多套房屋一并录入。未录入的房屋按未参与计。"


class ConsentScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    ConsentScreen #tally { height: auto; }
    ConsentScreen #tally.-failed { color: $warning; }
    ConsentScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("1", "record('agree')", "同意", id="consent.agree"),
        Binding("2", "record('disagree')", "不同意", id="consent.disagree"),
        Binding("3", "record('absent')", "未参与", id="consent.absent"),
        Binding("escape", "app.pop_screen", "返回", id="consent.back"),
    ]

    def __init__(self, order_id: int) -> None:
        super().__init__()
        self.order_id = order_id
        self.house_ids: list[int] = []
        self.pending: list[tuple[int, str]] = []
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Static("业主表决意见录入", id="consent-title", classes="title", markup=False)
        yield PlainStatic("正在读取分摊明细 …", id="tally")
        table = Table(id="consent-lines", cursor_type="row", zebra_stripes=False)
        for label in COLUMNS[:-1]:
            table.add_column(label)
        table.add_column(COLUMNS[-1], key=CHOICE_COLUMN)
        yield table
        yield PlainStatic(HINT, id="consent-hint", classes="hint")
        yield PlainStatic("", id="consent-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    def _load(self) -> None:
        calls.run(self, consent.consent_sheet, self.order_id, done=self._show,
                  failed=lambda error: self.say(error.message), group="load")

    def _show(self, sheet: tuple[str, list[consent.LineData], consent.Tally]) -> None:
        application_no, lines, tally = sheet
        self.query_one("#consent-title", Static).update(safe(f"业主表决意见录入　{application_no}"))
        table = self.query_one(DataTable)
        table.clear()
        for x in lines:
            table.add_row(x.building, x.unit, x.floor, x.room_no, safe(x.owner), format_area(x.area),
                          x.choice, key=str(x.house_id))
        self.house_ids = [x.house_id for x in lines]
        self._show_tally(tally)

    def _show_tally(self, tally: consent.Tally) -> None:
        widget = self.query_one("#tally", PlainStatic)
        widget.set_text("\n".join(tally.lines()))
        widget.set_class(not tally.passed, "-failed")

    def say(self, message: str) -> None:
        self.query_one("#consent-message", PlainStatic).set_text(message)

    def action_record(self, choice: str) -> None:
        table = self.query_one(DataTable)
        if not self.house_ids or table.cursor_row < 0:
            return
        house_id = self.house_ids[table.cursor_row]
        table.update_cell(str(house_id), CHOICE_COLUMN, f"{consent.CHOICE_LABELS[choice]} …")
        table.move_cursor(row=table.cursor_row + 1)
        self.pending.append((house_id, choice))
        self._next()

    def _next(self) -> None:
        if self.pending and not self.saving:
            self.saving = True
            self._save(*self.pending.pop(0))

    def _save(self, house_id: int, choice: str) -> None:
        calls.run(self, consent.record_consent, self.order_id, {house_id: choice}, done=self._saved,
                  failed=self._failed, group="save", exclusive=False)

    def _saved(self, saved: tuple[dict[int, str], consent.Tally]) -> None:
        changed, tally = saved
        table = self.query_one(DataTable)
        for house_id, label in changed.items():
            table.update_cell(str(house_id), CHOICE_COLUMN, label)
        self._show_tally(tally)
        others = len(changed) - 1
        self.query_one("#consent-hint", PlainStatic).set_text(
            f"已录入；同一业主名下另有 {others} 套房屋一并录入" if others else HINT)
        self.say("")
        self.saving = False
        self._next()

    def _failed(self, error) -> None:
        """Nothing after a refused save is sent: the clerk sees why and reloads what is stored."""
        self.pending.clear()
        self.saving = False
        self.say(error.message)
        self._load()
