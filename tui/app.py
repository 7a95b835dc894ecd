"""The App shell: configuration, the database handle, global keys, idle lock, low-bandwidth tweaks."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.timer import Timer

from services.core.profiles import get_profile
from tui import partial_updates
from tui.config import Config
from tui.logs import logger

OUTBOX_INTERVAL_SECONDS = 20

partial_updates.install()

if TYPE_CHECKING:
    from models.db import Database
    from services.core.actor import Actor


class WxzjApp(App[None]):
    CSS_PATH = "wxzj.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出程序", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
        Binding("f1", "toggle_help", "按键说明", show=False),
    ]

    def __init__(self, config: Config, database: "Database | None" = None) -> None:
        super().__init__()
        self.config = config
        self.profile = get_profile(config.profile)
        self.title = self.profile.title
        self.actor: "Actor | None" = None
        self._database = database
        self._database_lock = threading.Lock()
        self._idle_timer: Timer | None = None
        self.animation_level = "none"

    # The back end (SQLAlchemy, models, services) costs about a second to import, so it is loaded
    # on first use — normally by a worker right after the login screen is drawn.
    def database(self) -> "Database":
        with self._database_lock:
            if self._database is None:
                from models.db import Database

                self._database = Database(self.config.database_url)
            return self._database

    def on_mount(self) -> None:
        from screens.identity.login import LoginScreen

        self.push_screen(LoginScreen())
        notify = self.config.notify
        if notify.smtp is not None or notify.sms is not None:
            self.set_interval(OUTBOX_INTERVAL_SECONDS, self.deliver_outbox)

    def deliver_outbox(self) -> None:
        """Send what the outbox holds, in a worker (a screen calls this right after queuing a code)."""
        notify = self.config.notify
        if notify.smtp is None and notify.sms is None:
            return  # demo: messages stay in the outbox for `wxzj outbox`

        def work() -> None:
            from services.notify.sender import deliver_due

            try:
                deliver_due(self.database(), notify)
            except Exception:  # noqa: BLE001 - delivery is retried on the next tick; never break the session
                logger("notify").exception("outbox delivery failed")

        self.run_worker(work, thread=True, group="outbox", exclusive=True, exit_on_error=False)

    def get_system_commands(self, screen):
        yield SystemCommand("按键说明", "显示或隐藏当前界面可用的按键（F1）", self.action_toggle_help)
        yield SystemCommand("退出程序", "立即退出 wxzj（Ctrl+Q）", self.action_quit)

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # -- session ---------------------------------------------------------------------------
    def start_session(self, actor: "Actor", *, must_change_password: bool = False) -> None:
        from screens.shell.home import HomeScreen

        if self.is_web:
            actor = replace(actor, channel="浏览器")
        self.actor = actor
        self.switch_screen(HomeScreen())
        if must_change_password:  # SH-11: an initial password is changed before any business
            from screens.identity.change_password import ChangePasswordScreen

            self.push_screen(ChangePasswordScreen(forced=True))
        self._arm_idle_lock()

    def end_session(self) -> None:
        """Back to a fresh login screen, dropping every screen of the session."""
        from screens.identity.login import LoginScreen

        self.actor = None
        if self._idle_timer is not None:
            self._idle_timer.stop()
            self._idle_timer = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen())

    def _arm_idle_lock(self) -> None:
        minutes = self.config.idle_lock_minutes
        if minutes > 0 and self._idle_timer is None:
            self._idle_timer = self.set_interval(minutes * 60, self._lock_if_idle)

    def _lock_if_idle(self) -> None:
        from screens.identity.lock import LockScreen

        if self.actor is not None and not isinstance(self.screen, LockScreen):
            self.push_screen(LockScreen())

    async def on_event(self, event: events.Event) -> None:
        if self._idle_timer is not None and isinstance(event, (events.Key, events.MouseDown)):
            self._idle_timer.reset()
        await super().on_event(event)

    # -- low bandwidth ---------------------------------------------------------------------
    # A terminal focus change would restyle and repaint the whole screen (~18 KB) for nothing
    # the clerk can use, so the app simply stays "focused".
    # (prevent_default stops Textual's own handler further up the class hierarchy.)
    async def _on_app_focus(self, event: events.AppFocus) -> None:
        event.prevent_default()

    async def _on_app_blur(self, event: events.AppBlur) -> None:
        event.prevent_default()

    # Hover highlights cost kilobytes per cell crossed; keep enter/leave but never :hover.
    def _set_mouse_over(self, widget, hover_widget) -> None:
        super()._set_mouse_over(widget, None)
