"""修改密码; also forced at first login when the account was created with an initial password."""

from __future__ import annotations

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from tui.screens_base import LeanScreen
from textual.widgets import Input, Static

from services.identity import accounts
from tui import calls
from tui.typeahead import after_keys
from tui.widgets import FieldRow, LeanFooter, PlainStatic

FIELDS = ("old", "new", "confirm")


class ChangePasswordScreen(LeanScreen[bool]):
    DEFAULT_CSS = """
    ChangePasswordScreen #form { height: auto; padding: 1 0 0 10; }
    ChangePasswordScreen .hint { padding: 1 0 0 11; }
    """
    BINDINGS = [
        Binding("f9", "save", "保存", id="change_password.save"),
        Binding("escape", "back", "返回", id="change_password.back"),
        # Runs as the key arrives: what is typed after Enter lands in the next field (see LoginScreen).
        Binding("enter", "enter", "下一项", show=False, priority=True, id="change_password.enter"),
    ]

    def __init__(self, *, forced: bool = False) -> None:
        super().__init__()
        self.forced = forced

    def compose(self) -> ComposeResult:
        yield Static("修改密码", classes="title", markup=False)
        with Vertical(id="form"):
            yield FieldRow("原密码", "old", password=True, max_length=128, required=True)
            yield FieldRow("新密码", "new", password=True, max_length=128, required=True)
            yield FieldRow("确认新密码", "confirm", password=True, max_length=128, required=True)
        hint = "首次登录须修改初始密码。" if self.forced else ""
        yield Static(hint + "密码至少8位，含大写字母、小写字母、数字、符号中的三类，不能与用户名或原密码相同。Enter 下一项，F9 保存。", classes="hint", markup=False)
        yield PlainStatic("", id="form-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#old", Input).focus()

    def action_enter(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id not in FIELDS:
            raise SkipAction()
        self._next_field(focused.id)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self._next_field(event.input.id)

    def _next_field(self, field: str) -> None:
        index = FIELDS.index(field)
        if index + 1 < len(FIELDS):
            self.set_focus(self.query_one(f"#{FIELDS[index + 1]}", Input))  # at once: Widget.focus is deferred
        else:
            after_keys([self.query_one(f"#{f}", Input) for f in FIELDS], self.action_save)

    def action_save(self) -> None:
        for field in FIELDS:
            self.query_one(f"#{field}-error", PlainStatic).set_text("")
        self._save({f: self.query_one(f"#{f}", Input).value for f in FIELDS})

    def _save(self, values: dict[str, str]) -> None:
        calls.run(self, accounts.change_password, values["old"], values["new"], values["confirm"],
                  done=self._saved, failed=self.show_error)

    def show_error(self, error) -> None:
        if error.field in FIELDS:
            self.query_one(f"#{error.field}-error", PlainStatic).set_text(error.message)
            self.query_one(f"#{error.field}", Input).focus()
        else:
            self.query_one("#form-message", PlainStatic).set_text(error.message)

    def _saved(self, _=None) -> None:
        self.app.notify("密码已修改")
        self.dismiss(True)

    def action_back(self) -> None:
        if self.forced:
            self.query_one("#form-message", PlainStatic).set_text("首次登录须先修改密码；如需离开请按 Ctrl+Q 退出程序")
            return
        self.dismiss(False)
