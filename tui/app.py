"""The App shell: configuration, the database handle, global keys, idle lock, low-bandwidth tweaks."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer

from services.core.profiles import get_profile
from tui.config import Config
from tui.logs import logger
from tui.memory import ScreenCollector, fresh_context_workers, one_malloc_arena
from tui.textual_caches import lean_caches
from tui.textual_hooks import lean_app

OUTBOX_INTERVAL_SECONDS = 20

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.db import Database
    from services.core.actor import Actor


def _screen_actions():
    # Imported when the palette first opens, not at start-up.
    from tui.commands import ScreenActions

    return ScreenActions


@lean_app  # low bandwidth: partial updates, no focus-report or hover repaints
@lean_caches  # Textual caches that would keep closed screens' renderings alive
class WxzjApp(App[None]):
    CSS_PATH = "wxzj.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS = {_screen_actions}  # the screen's actions, then the app's keys (Textual's English ones left out)
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出程序", show=False, priority=True, id="app.quit"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True, id="app.command_palette"),
        # Priority, so that F1 also works on popups (a modal's keys stop at the modal).
        Binding("f1", "toggle_help", "按键说明", show=False, priority=True, id="app.help"),
    ]

    def __init__(self, config: Config, database: "Database | None" = None) -> None:
        super().__init__()
        one_malloc_arena()  # before the first worker thread
        self.config = config
        self.profile = get_profile(config.profile)
        self.title = self.profile.title
        self.actor: "Actor | None" = None
        self._database = database
        self._database_lock = threading.Lock()
        self._backend_configured = False
        self._idle_timer: Timer | None = None
        self._own_context: contextvars.Context | None = None
        self.messages: list = []  # the latest tui.messages.Message objects shown, oldest first
        self.last_message = None
        self._ssh_key: object = ...
        self.animation_level = "none"
        if config.keymap:
            self.set_keymap(config.keymap)

    # The back end (SQLAlchemy, models, services) costs about a second to import, so it is loaded
    # on first use — normally by a worker right after the login screen is drawn.
    def database(self) -> "Database":
        with self._database_lock:
            if self._database is None:
                from models.db import Database

                self._database = Database(self.config.database_url)
            if not self._backend_configured:
                self._backend_configured = True
                if self.config.identity_verify_url:
                    from services.admin import verification

                    verification.configure(verification.provider_from_settings(
                        self.config.identity_verify_url, self.config.identity_verify_key))
            return self._database

    def ssh_key(self):
        """The SSH public key sshd says this session authenticated with (read once), or None; never in
        the browser, whose sessions are not the SSH session that may have started `wxzj serve`."""
        if self._ssh_key is ...:
            from services.identity.ssh_keys import session_key

            self._ssh_key = None if self.is_web else session_key()
        return self._ssh_key

    def on_mount(self) -> None:
        from screens.identity.login import LoginScreen

        self._own_context = contextvars.copy_context()
        fresh_context_workers(asyncio.get_running_loop())
        self.memory = ScreenCollector(self)
        self.push_screen(LoginScreen())
        self.memory.collect_soon()  # freezes what the login screen needs (tui.memory)
        # Imported here, not at the top: the first frame must not wait for the back end.
        self.call_after_refresh(self._listen_for_ended_sessions)
        notify = self.config.notify
        if notify.smtp is not None or notify.sms is not None:
            self.set_interval(OUTBOX_INTERVAL_SECONDS, self.deliver_outbox)

    # A Textual timer is a task, and a task keeps the context it was started in: one started from a
    # screen's handler keeps that screen (Textual's current message pump) alive while it runs, and its
    # sleep, even once stopped, stays in asyncio's schedule until it would have ended. The idle lock's
    # interval, started at the login, kept the login screen for the whole session; the collector's timer
    # (tui.memory), started as a screen closed, kept that screen from its own collection. So the app's
    # timers run in the app's context.
    def set_timer(self, *args, **kwargs) -> Timer:
        return self.in_own_context(super().set_timer, *args, **kwargs)

    def set_interval(self, *args, **kwargs) -> Timer:
        return self.in_own_context(super().set_interval, *args, **kwargs)

    def in_own_context(self, start: "Callable[..., Timer]", *args, **kwargs) -> Timer:
        """Start a timer (of the app or a widget) in the app's context, holding no screen."""
        if self._own_context is None:  # before on_mount: in the app's own task anyway
            return start(*args, **kwargs)
        return self._own_context.copy().run(start, *args, **kwargs)

    def _listen_for_ended_sessions(self) -> None:
        from services.core import session_check

        def heard(actor, error) -> None:  # on a worker thread, or (rarely) on the UI thread
            if actor is None or actor != self.actor:
                return
            if threading.get_ident() == self._thread_id:
                self.call_later(self.session_ended, error.message)
            else:
                self.call_from_thread(self.session_ended, error.message)

        self._stop_listening = session_check.listen(heard)

    def on_unmount(self) -> None:
        stop = getattr(self, "_stop_listening", None)
        if stop is not None:
            stop()
        self.memory.close()

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

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="输入名称查找功能或按键…"))

    def action_toggle_help(self) -> None:
        """F1: our own list of the screen's keys, in Chinese, its own before the global ones."""
        from screens.common.keys_help import KeysHelpDialog
        from tui.keys import screen_actions

        if isinstance(self.screen, KeysHelpDialog):
            self.screen.dismiss(None)
        else:
            self.push_screen(KeysHelpDialog(screen_actions(self.screen)))

    # -- messages --------------------------------------------------------------------------
    def notify(self, message, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every message goes to the screen's message line (tui.messages), shown literally, never as a
        toast over the form; `markup` is accepted and ignored. Safe to call from a worker thread."""
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self.notify, message, title=title, severity=severity, timeout=timeout)
            return
        from tui.messages import line_of, new_message

        self.last_message = new_message(message, title, severity, timeout)
        self.messages.append(self.last_message)
        del self.messages[:-50]
        line_of(self.screen).show(self.last_message)

    def show_last_message(self, screen) -> None:
        """A screen coming up shows the latest message while it lasts (the dialog that said 已保存 closed)."""
        import time

        from tui.messages import line_of

        message = self.last_message
        if message is not None and message.expires > time.monotonic():
            line = line_of(screen)
            if line.message is not message:
                line.show(message)

    # -- session ---------------------------------------------------------------------------
    def start_session(self, actor: "Actor", *, must_change_password: bool = False,
                      choose_system: bool = False) -> None:
        from screens.shell.home import HomeScreen

        if self.is_web:
            actor = replace(actor, channel="浏览器")
        self.actor = actor
        self.switch_screen(HomeScreen())
        if choose_system:  # SH-11: 确认选择 of the system, once the first login's password is changed
            from screens.identity.system_choice import SystemChoiceScreen

            self.push_screen(SystemChoiceScreen())
        if must_change_password:  # SH-11: an initial password is changed before any business
            from screens.identity.change_password import ChangePasswordScreen

            self.push_screen(ChangePasswordScreen(forced=True))
        self._arm_idle_lock()

    def session_ended(self, message: str) -> None:
        """The database says this session may no longer work (B4): say why on the login screen."""
        if self.actor is None:
            return
        from tui.logs import logger

        logger("session").info("session ended user=%s: %s", self.actor.username, message)
        self.end_session(notice=message)

    def end_session(self, notice: str = "") -> None:
        """Back to a fresh login screen, dropping every screen of the session."""
        from screens.identity.login import LoginScreen

        self.actor = None
        if self._idle_timer is not None:
            self._idle_timer.stop()
            self._idle_timer = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen(notice=notice))

    def _arm_idle_lock(self) -> None:
        minutes = self.config.idle_lock_minutes
        if minutes > 0 and self._idle_timer is None:
            self._idle_timer = self.set_interval(minutes * 60, self._lock_if_idle)

    def _lock_if_idle(self) -> None:
        from screens.identity.lock import LockScreen

        if self.actor is not None and not isinstance(self.screen, LockScreen):
            self.push_screen(LockScreen(), self._unlocked)

    def _unlocked(self, _result: None) -> None:
        # The interval starts afresh at the unlock: counted from the last key, an unlock slower than the
        # interval (argon2 on a loaded server) was locked again at once.
        if self._idle_timer is not None:  # None: the session ended from the lock screen
            self._idle_timer.reset()

    async def on_event(self, event: events.Event) -> None:
        if self._idle_timer is not None and isinstance(event, (events.Key, events.MouseDown)):
            self._idle_timer.reset()
        await super().on_event(event)
