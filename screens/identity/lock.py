"""Idle lock: the session's screens stay as they were underneath; only the password opens them."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from tui.screens_base import LeanModalScreen
from textual.widgets import Input, Static

from services.identity import auth
from services.core.errors import ServiceError
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

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _unlock(self, password: str) -> None:
        try:
            auth.unlock(self.app.database(), self.app.actor, password)
        except auth.AccountLocked as exc:
            self.app.call_from_thread(self._locked_out, exc.message)
        except ServiceError as exc:
            self.app.call_from_thread(self._failed, exc.message)
        else:
            self.app.call_from_thread(self.dismiss, None)

    def _failed(self, message: str) -> None:
        self.query_one("#password-error", PlainStatic).set_text(message)
        self.query_one("#password", Input).value = ""

    def _locked_out(self, message: str) -> None:
        self.app.end_session()
        self.app.notify(message, severity="error", timeout=30)

    def action_logout(self) -> None:
        self.app.run_worker(self._logout_then_leave, thread=True, exit_on_error=False)

    def _logout_then_leave(self) -> None:
        auth.logout(self.app.database(), self.app.actor, reason="锁屏后退出")
        self.app.call_from_thread(self.app.end_session)
