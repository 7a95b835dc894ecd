"""Home: who is working for whom, and the functions this role may use (also in the command palette)."""

from __future__ import annotations

from functools import partial

from rich.cells import cell_len

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
from tui.text import ellipsize
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


def who_line(actor, width: int) -> str:
    """用户 … 单位 … 角色 on one line of `width` cells: a long unit name is cut (with …), never the role."""
    user = f"用户：{actor.real_name}（{actor.username}）"
    role = f"　角色：{ROLE_LABELS[actor.role]}"
    room = width - cell_len(user) - cell_len(role) - cell_len("　单位：")
    if room < 4:  # a very narrow terminal: the user and role still show; the unit goes first
        return ellipsize(user + role, width)
    return f"{user}　单位：{ellipsize(actor.organisation_name, room)}{role}"


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

    def __init__(self) -> None:
        super().__init__()
        self._warmed: set[str] = set()  # the functions whose screens have been imported (_highlighted)

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        yield Static(self.app.profile.title, classes="title", markup=False)
        yield PlainStatic(who_line(actor, self.app.size.width - 2), id="who")
        yield Static("功能菜单（Enter 进入）", id="menu-title", markup=False)
        functions = functions_for(actor)
        yield MenuList(*((f.key, f.label, f.help) for f in functions), id="menu")
        yield LeanFooter()

    def on_resize(self, event) -> None:
        self.query_one("#who", PlainStatic).set_text(who_line(self.app.actor, event.size.width - 2))

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()
        from services.admin.realname import unseen_results
        from tui import calls

        # SH-06: how a real-name request was decided is shown at the requester's next login.
        calls.run(self, unseen_results, done=self._show_notices, group="notices")
        if self.app.actor.role == "registrant":  # BJ-05: a returned registration's reason, once
            from services.identity.unit_application import login_notices

            calls.run(self, login_notices, done=self._notices, group="unit-notices")

    @on(OptionList.OptionHighlighted, "#menu")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The screen of the function under the cursor is imported while the clerk reads its name, so Enter
        # does not wait for it (0.3-0.8 s for 商品房维修支取申请 on a busy server); the other functions'
        # screens are not loaded until the cursor reaches them (~1 MB a session that never opens them).
        key = event.option.id
        if key in self._warmed:
            return
        self._warmed.add(key)
        from screens.shell.registry import warm

        app = self.app

        def work() -> None:
            warm([key])
            # What was imported lives as long as the process: frozen out of the collector's walk (tui.memory).
            app.call_from_thread(app.memory.collect_soon)

        self.run_worker(work, thread=True, group="warm", exit_on_error=False)

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
