"""Idle lock: the session's screens stay as they were underneath; only the password opens them, and with an
authenticator (BY-08) its 6-digit code or a recovery code as well."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from tui.screens_base import LeanModalScreen
from textual.widgets import Input, Static

from services.identity import auth
from tui import calls
from tui.typeahead import after_keys
from tui.widgets import FieldRow, LeanFooter, PlainStatic

CODE_HINT = "请输入手机身份验证器上的6位动态口令（或一个恢复码）。"


class LockScreen(LeanModalScreen[None]):
    DEFAULT_CSS = """
    LockScreen { align: center middle; background: $background; }
    LockScreen > Vertical { width: 70; height: auto; border: solid $primary; padding: 1 1; }
    LockScreen #row-code { display: none; }
    LockScreen.with-code #row-code { display: block; }
    """
    BINDINGS = [
        Binding("f10", "logout", "退出登录", id="lock.logout"),
        # Typed ahead (password, Enter, code, Enter in one burst over SSH) the focus must move with the Enter
        # itself, as on the login screen (tui.typeahead): through Input.Submitted the code went into the password.
        Binding("enter", "enter_field", "下一项", show=False, priority=True, id="lock.next_field"),
    ]

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        with Vertical():
            yield Static("屏幕已锁定", classes="title", markup=False)
            yield PlainStatic(f"{actor.real_name}（{actor.username}）长时间未操作，请输入密码解锁。",
                              id="lock-hint", classes="hint")
            yield FieldRow("密码", "password", password=True, max_length=128)
            yield FieldRow("动态口令", "code", max_length=16)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()
        calls.run(self, auth.unlock_needs_code, done=lambda due: due and self._ask_code(), group="lock-code")

    def _ask_code(self) -> None:
        if not self.has_class("with-code"):
            self.add_class("with-code")
            actor = self.app.actor
            self.query_one("#lock-hint", PlainStatic).set_text(
                f"{actor.real_name}（{actor.username}）长时间未操作，请输入密码解锁。\n{CODE_HINT}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter_field":
            return isinstance(self.focused, Input)
        return True

    def action_enter_field(self) -> None:
        password, code = self.query_one("#password", Input), self.query_one("#code", Input)
        if self.has_class("with-code") and self.focused is password and not code.value:
            self.set_focus(code)
            return
        after_keys([password, code], lambda: self._unlock(password.value, code.value))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_enter_field()

    def _unlock(self, password: str, code: str = "") -> None:
        for field in ("password", "code"):
            self.query_one(f"#{field}-error", PlainStatic).set_text("")
        calls.run(self, auth.unlock, password, code, done=lambda _: self.dismiss(None), failed=self._failed)

    def _failed(self, error) -> None:
        if isinstance(error, auth.AccountLocked):
            self._locked_out(error.message)
            return
        field = "code" if error.field == "code" else "password"
        if field == "code":
            self._ask_code()
        self.query_one(f"#{field}-error", PlainStatic).set_text(error.message)
        self.query_one(f"#{field}", Input).value = ""
        self.query_one(f"#{field}", Input).focus()

    def _locked_out(self, message: str) -> None:
        self.app.end_session()
        self.app.notify(message, severity="error", timeout=30)

    def action_logout(self) -> None:
        leave = lambda _: self.app.end_session()  # noqa: E731 - whether or not the logout was recorded
        calls.run(self, auth.logout, reason="锁屏后退出", done=leave, failed=leave)
