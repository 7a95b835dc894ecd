"""确认选择 (SH-05, SH-11): after the unified login, the system to enter — the manual's 选择“上海市房屋维修资金管理
系统”，点击【确认选择】按钮，进入维修资金系统. Shown over the home screen once the session has started (one
identity), or before it, ahead of the choice of role (several identities: dismisses True, or False for Esc);
Esc logs out (or, before the session, goes back to the login)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.screens_base import LeanScreen
from tui.text import safe
from tui.widgets import LeanFooter, PlainStatic


class SystemChoiceScreen(LeanScreen[bool]):
    DEFAULT_CSS = """
    SystemChoiceScreen > Vertical { width: 64; height: auto; margin: 3 0 0 8; border: solid $primary; padding: 0 1; }
    SystemChoiceScreen OptionList, SystemChoiceScreen OptionList:focus { height: auto; border: none; }
    """
    BINDINGS = [
        Binding("f9", "confirm", "确认选择", id="identity.system_confirm"),
        Binding("escape", "logout", "退出登录", id="identity.system_logout"),
    ]

    def __init__(self, *, before_session: bool = False) -> None:
        super().__init__()
        self.before_session = before_session

    def compose(self) -> ComposeResult:
        yield Static("统一登录平台", classes="title", markup=False)
        with Vertical():
            yield Static("请选择要进入的系统", classes="subtitle", markup=False)
            yield OptionList(Option(safe(self.app.profile.title), id="fund"), id="systems")
            yield PlainStatic("Enter 或 F9【确认选择】进入所选系统，Esc 退出登录。", classes="hint")
        yield LeanFooter()

    def on_mount(self) -> None:
        systems = self.query_one("#systems", OptionList)
        systems.highlighted = 0
        self.set_focus(systems)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_logout(self) -> None:
        if self.before_session:  # nobody has entered yet: nothing to log out of
            self.dismiss(False)
            return
        from services.identity import auth
        from tui import calls

        leave = lambda _: self.app.end_session()  # noqa: E731 - whether or not the logout was recorded
        calls.run(self, auth.logout, done=leave, failed=leave)
