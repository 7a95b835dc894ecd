"""Unfinished drafts, offered when the clerk comes back (BY-04)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.widgets import LeanFooter


class DraftsDialog(LeanModalScreen[int | None]):
    DEFAULT_CSS = """
    DraftsDialog { align: center middle; }
    DraftsDialog > Vertical { width: 76; height: auto; max-height: 20; border: solid $primary; padding: 0 1; }
    DraftsDialog OptionList { height: auto; max-height: 14; border: none; }
    """
    BINDINGS = [Binding("escape", "later", "稍后再说", id="drafts.later")]

    def __init__(self, waiting) -> None:
        super().__init__()
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("您有未完成的任务单草稿，按 Enter 继续办理：", markup=False)
            yield OptionList(*(
                Option(safe(f"{d.community}　{d.project_name}　已保存{d.saved_houses}户　{d.updated_at[:16]}"),
                       id=str(d.order_id))
                for d in self.waiting))
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_later(self) -> None:
        self.dismiss(None)
