"""Choice of identity when one account holds several (SH-05)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from tui.screens_base import LeanModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from services.identity import auth
from services.core.actor import Actor
from tui import calls
from tui.text import safe
from tui.widgets import LeanFooter, PlainStatic


class IdentityScreen(LeanModalScreen[Actor | None]):
    DEFAULT_CSS = """
    IdentityScreen { align: center middle; }
    IdentityScreen > Vertical { width: 64; height: auto; border: solid $primary; padding: 0 1; }
    IdentityScreen OptionList { height: auto; max-height: 12; border: none; }
    """
    BINDINGS = [Binding("escape", "cancel", "返回登录", id="identity.cancel")]

    def __init__(self, login: auth.LoginResult) -> None:
        super().__init__()
        self.login = login

    def compose(self) -> ComposeResult:
        with Vertical():
            # 角色选择 in Shanghai's words (SH-05: 同一账号有多重身份…需进行角色选择后登录)
            yield Static("请选择登录角色" if self.app.profile.system_choice else "请选择登录身份", classes="subtitle",
                         markup=False)
            yield OptionList(
                *(Option(safe(f"{i.role_label}　{i.organisation_name}"), id=str(i.identity_id))
                  for i in self.login.identities),
                id="identities",
            )
            yield PlainStatic("", id="identity-message", classes="message")
        yield LeanFooter()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._enter(int(event.option.id))

    def _enter(self, identity_id: int) -> None:
        calls.run(self, lambda db, _: auth.enter(db, self.login, identity_id), done=self.dismiss,
                  failed=lambda error: self.query_one("#identity-message", PlainStatic).set_text(error.message))

    def action_cancel(self) -> None:
        self.dismiss(None)
