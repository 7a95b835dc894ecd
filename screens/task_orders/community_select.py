"""新建任务单-选择小区 (BJ-09): cards of the communities the organisation may work on; typing
filters by name, ↑/↓ move between cards, Enter = 进入业务."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.task_orders import steps
from services.task_orders import drafts
from tui import calls
from tui.screens_base import LeanScreen
from tui.text import clean
from tui.widgets import FieldRow, LeanFooter, PlainStatic


def _card(c: drafts.CommunityCard) -> Text:
    card = Text()
    card.append(clean(c.name), style="bold")
    card.append(f"　{clean(c.district)}\n")
    card.append(f"  {clean(c.address)}\n", style="dim")
    card.append(f"  自然幢 {c.buildings} 幢　房屋 {c.houses:,} 户　　Enter 进入业务")
    return card


class CommunitySelectScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    CommunitySelectScreen #filter-row { height: 1; margin: 1 0 0 0; }
    CommunitySelectScreen OptionList { height: 1fr; border: none; padding: 0 1; }
    CommunitySelectScreen OptionList > .option-list--option { padding: 0 0 1 0; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "下一个", show=False, priority=True, id="community_select.down"),
        Binding("up", "move(-1)", "上一个", show=False, priority=True, id="community_select.up"),
        Binding("pagedown", "page(1)", "下一页", show=False, priority=True, id="community_select.page_down"),
        Binding("pageup", "page(-1)", "上一页", show=False, priority=True, id="community_select.page_up"),
        Binding("enter", "enter_business", "进入业务", priority=True, id="community_select.enter_business"),
        Binding("escape", "back", "上一步", id="community_select.back"),
    ]

    def __init__(self, forward: steps.ForwardTo) -> None:
        super().__init__()
        self.forward = forward
        self.cards: list[drafts.CommunityCard] = []

    def compose(self) -> ComposeResult:
        yield Static("新建任务单-选择小区", classes="title", markup=False)
        yield FieldRow("小区名称", "name-filter", placeholder="输入名称筛选")
        yield OptionList(id="cards")
        yield PlainStatic("", id="select-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#name-filter", Input).focus()
        self._load()

    def _load(self) -> None:
        calls.run(self, drafts.community_cards, done=self._show)

    def show_error(self, error) -> None:
        self._say(error.message)

    def _show(self, cards: list[drafts.CommunityCard]) -> None:
        self.cards = cards
        self._filter(self.query_one("#name-filter", Input).value)
        if not cards:
            self._say("本单位尚无已审核通过的物业区域关联小区，请先办理物业区域关联")

    def _say(self, message: str) -> None:
        self.query_one("#select-message", PlainStatic).set_text(message)

    @on(Input.Changed, "#name-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        options = self.query_one("#cards", OptionList)
        options.clear_options()
        shown = [c for c in self.cards if text.strip() in c.name]
        options.add_options(Option(_card(c), id=str(c.community_id)) for c in shown)
        if shown:
            options.highlighted = 0
        self._say("" if shown or not self.cards else "没有名称包含该文字的小区")

    def action_move(self, step: int) -> None:
        options = self.query_one("#cards", OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_page(self, step: int) -> None:
        options = self.query_one("#cards", OptionList)
        options.action_page_down() if step > 0 else options.action_page_up()

    def action_enter_business(self) -> None:
        options = self.query_one("#cards", OptionList)
        if options.highlighted is None:
            self._say("请先选择小区")
            return
        self._start(int(options.get_option_at_index(options.highlighted).id))

    def _start(self, community_id: int) -> None:
        calls.run(self, drafts.start_draft, community_id,
                  done=lambda order_id: self.forward(steps.Started(order_id)))

    def action_back(self) -> None:
        self.dismiss(steps.Back())
