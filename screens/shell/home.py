"""Home: who is working for whom, and the functions this role may use (also in the command palette)."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from tui.screens_base import LeanScreen
from textual.widgets import OptionList, Static

from screens.shell.registry import SCREENS
from services.identity import auth
from services.core.functions import functions_for
from services.core.profiles import ROLE_LABELS
from tui import calls
from tui.menu import MenuList
from tui.widgets import LeanFooter, PlainStatic


class FunctionCommands(Provider):
    """Every menu entry of the home screen in the command palette (its keys, logout among them, come
    from tui.commands like every screen's)."""

    def _commands(self):
        screen = self.screen
        assert isinstance(screen, HomeScreen)
        for function in functions_for(self.app.actor):
            yield function.label, function.help, partial(screen.open_function, function.key)

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)


class HomeScreen(LeanScreen[None]):
    COMMANDS = {FunctionCommands}
    DEFAULT_CSS = """
    HomeScreen #who { height: 1; padding: 0 1; }
    HomeScreen #menu-title { height: 2; padding: 1 1 0 1; text-style: bold; }  /* 1 was all padding: the title never showed */
    HomeScreen #menu { height: 1fr; border: none; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f10", "logout", "退出登录", id="home.logout"),
    ]

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        yield Static(self.app.profile.title, classes="title", markup=False)
        yield PlainStatic(
            f"用户：{actor.real_name}（{actor.username}）　单位：{actor.organisation_name}　"
            f"角色：{ROLE_LABELS[actor.role]}",
            id="who",
        )
        yield Static("功能菜单（Enter 进入）", id="menu-title", markup=False)
        functions = functions_for(actor)
        yield MenuList(*((f.key, f.label, f.help) for f in functions), id="menu")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()
        self.call_after_refresh(self._warm)
        from services.admin.realname import unseen_results
        from tui import calls

        # SH-06: how a real-name request was decided is shown at the requester's next login.
        calls.run(self, unseen_results, done=self._show_notices, group="notices")
        if self.app.actor.role == "registrant":  # BJ-05: a returned registration's reason, once
            from services.identity.unit_application import login_notices

            calls.run(self, login_notices, done=self._notices, group="unit-notices")

    def _warm(self) -> None:
        from screens.shell.registry import warm

        keys = [f.key for f in functions_for(self.app.actor)]
        self.run_worker(lambda: warm(keys), thread=True, group="warm", exit_on_error=False)

    def _notices(self, notices: list[str]) -> None:
        for text in notices:
            self.app.notify(text, title="物业单位注册申请被退回", severity="warning", timeout=30, markup=False)

    def _show_notices(self, messages: list[str]) -> None:
        for message in messages:
            self.app.notify(message, title="实名认证审核结果", timeout=20, markup=False)

    @on(OptionList.OptionSelected, "#menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_function(event.option.id)

    def open_function(self, key: str) -> None:
        self.app.push_screen(SCREENS[key]())

    def action_logout(self) -> None:
        leave = lambda _: self.app.end_session()  # noqa: E731 - whether or not the logout was recorded
        calls.run(self, auth.logout, done=leave, failed=leave)
