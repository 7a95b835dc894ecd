"""Small popups shared by the flows: a yes/no confirmation (确定 / 取消) and a read-only notice
closed with 【我知道了】."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.widgets import LeanFooter


class ConfirmDialog(LeanModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 60; height: auto; border: solid $warning; padding: 1 2; }
    ConfirmDialog .keys { padding-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "确定", id="confirm.yes"),
        Binding("enter", "enter", "确定", id="confirm.enter"),
        Binding("n,escape", "answer(False)", "取消", id="confirm.no"),
    ]

    def __init__(self, question: str, *, enter_confirms: bool = True) -> None:
        """enter_confirms=False for a grave decision: only Y says yes, Enter does nothing."""
        super().__init__()
        self.question = question
        self.enter_confirms = enter_confirms

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.question))
            keys = "Y/Enter 确定　　N/Esc 取消" if self.enter_confirms else "Y 确定（Enter 不作确认）　　N/Esc 取消"
            yield Static(keys, classes="keys", markup=False)

    def action_enter(self) -> None:
        if self.enter_confirms:
            self.dismiss(True)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NoticeDialog(LeanModalScreen[None]):
    """A titled block of plain text (the order, its lines) with 【我知道了】."""

    DEFAULT_CSS = """
    NoticeDialog { align: center middle; }
    NoticeDialog > Vertical { width: 90%; height: 90%; border: solid $primary; padding: 0 1; }
    NoticeDialog .notice-title { height: 1; text-style: bold; text-align: center; width: 1fr; }
    NoticeDialog VerticalScroll { height: 1fr; }
    """
    BINDINGS = [Binding("enter,escape", "close", "我知道了", id="notice.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.title_text), classes="notice-title")
            with VerticalScroll():
                yield Static(safe(self.body))
        yield LeanFooter()

    def action_close(self) -> None:
        self.dismiss(None)
