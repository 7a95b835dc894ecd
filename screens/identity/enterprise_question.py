"""The question before Shanghai's enterprise registration: 是 (bind the existing account) or 否 (register)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui.screens_base import LeanModalScreen
from tui.widgets import LeanFooter, PlainStatic


class AccountQuestion(LeanModalScreen[bool | None]):
    DEFAULT_CSS = """
    AccountQuestion { align: center middle; }
    AccountQuestion > Vertical { width: 64; height: auto; border: solid $primary; padding: 1 2; }
    AccountQuestion .keys { padding-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "是", id="identity.enterprise_question_yes"),
        Binding("n", "answer(False)", "否", id="identity.enterprise_question_no"),
        Binding("escape", "answer(None)", "返回", id="identity.enterprise_question_back"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainStatic(self.question)
            yield Static("Y【是】进入维修资金企业绑定　N【否】进入注册物业企业　Esc 返回", classes="keys", markup=False)
        yield LeanFooter()

    def action_answer(self, answer: bool | None) -> None:
        self.dismiss(answer)
