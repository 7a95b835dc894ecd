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
        Binding("y,enter", "answer(True)", "确定", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "取消", id="confirm.no"),
    ]

    KEYS = "Y/Enter 确定　　N/Esc 取消"

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.question))
            yield Static(self.KEYS, classes="keys", markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ExplicitConfirmDialog(ConfirmDialog):
    """For a grave decision (overriding the owners' vote): only Y says yes; a stray Enter does nothing."""

    BINDINGS = [Binding("enter", "wait", "等待确认", show=False, id="confirm.enter_waits")]
    KEYS = "Y 确定（Enter 不作确认）　　N/Esc 取消"

    def action_wait(self) -> None:
        pass


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
