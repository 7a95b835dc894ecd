"""Idle lock: the session's screens stay as they were underneath; only the password opens them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from tui.screens_base import LeanModalScreen
from textual.widgets import Input, Static

from services.identity import auth
from tui import calls
from tui.widgets import FieldRow, LeanFooter, PlainStatic


class LockScreen(LeanModalScreen[None]):
    DEFAULT_CSS = """
    LockScreen { align: center middle; background: $background; }
    LockScreen > Vertical { width: 70; height: auto; border: solid $primary; padding: 1 1; }
    """
    BINDINGS = [Binding("f10", "logout", "退出登录", id="lock.logout")]

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        with Vertical():
            yield Static("屏幕已锁定", classes="title", markup=False)
            yield PlainStatic(f"{actor.real_name}（{actor.username}）长时间未操作，请输入密码解锁。",
                              classes="hint")
            yield FieldRow("密码", "password", password=True, max_length=128)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self._unlock(event.value)

    def _unlock(self, password: str) -> None:
        calls.run(self, auth.unlock, password, done=lambda _: self.dismiss(None), failed=self._failed)

    def _failed(self, error) -> None:
        if isinstance(error, auth.AccountLocked):
            self._locked_out(error.message)
            return
        self.query_one("#password-error", PlainStatic).set_text(error.message)
        self.query_one("#password", Input).value = ""

    def _locked_out(self, message: str) -> None:
        self.app.end_session()
        self.app.notify(message, severity="error", timeout=30)

    def action_logout(self) -> None:
        leave = lambda _: self.app.end_session()  # noqa: E731 - whether or not the logout was recorded
        calls.run(self, auth.logout, reason="锁屏后退出", done=leave, failed=leave)
