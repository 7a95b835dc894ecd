"""One code asked for in a small dialog: the login's 动态口令 step, and the 停用 / 恢复码 confirmations.

The dialog calls its service itself, so a refused code is shown at the field and the clerk types again
without leaving it; it returns the service's result, or None on Escape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from tui import calls
from tui.screens_base import LeanModalScreen
from tui.widgets import CompactInput, LeanFooter, PlainStatic

LOGIN_HINT = "请输入手机身份验证器上显示的6位动态口令；\n手机不在身边时，可输入一个恢复码。"


class CodeDialog(LeanModalScreen[Any]):
    DEFAULT_CSS = """
    CodeDialog { align: center middle; }
    CodeDialog > Vertical { width: 74; height: auto; border: solid $primary; padding: 0 1; }
    CodeDialog .hint { padding: 1 0; color: $text-muted; }
    CodeDialog #code-row { height: 1; }
    CodeDialog #code-row > .field-label { width: 10; padding-right: 1; }
    CodeDialog #code-row > CompactInput { width: 20; }
    CodeDialog #code-error { height: auto; color: $error; padding-left: 10; }
    CodeDialog #code-message { height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消", id="otp_code.cancel")]

    def __init__(self, title: str, hint: str, service: Callable[..., Any]) -> None:
        super().__init__()
        self.title_text, self.hint, self.service = title, hint, service

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="subtitle", markup=False)
            yield Static(self.hint, classes="hint", markup=False)
            with Horizontal(id="code-row"):
                yield Static("动态口令", classes="field-label", markup=False)
                yield CompactInput(id="code", max_length=16)
            # the messages are long: a line of their own, not the space right of the field
            yield PlainStatic("", id="code-error", classes="field-error")
            yield PlainStatic("Enter 确认，Esc 取消", id="code-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#code-error", PlainStatic).set_text("")
        self.query_one("#code-message", PlainStatic).set_text("正在校验…")
        calls.run(self, self.service, event.value, done=self.dismiss, failed=self.show_error, group="otp-code")

    def show_error(self, error) -> None:
        self.query_one("#code-message", PlainStatic).set_text("Enter 确认，Esc 取消")
        code = self.query_one("#code", Input)
        if error.field == "code":
            self.query_one("#code-error", PlainStatic).set_text(error.message)
            code.value = ""
        else:
            self.query_one("#code-message", PlainStatic).set_text(error.message)
        code.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
