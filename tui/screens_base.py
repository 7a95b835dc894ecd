"""Screen base classes: a focus move repaints only the widgets it concerns (tui.textual_hooks), a
worker that fails unexpectedly is logged and reported, and a closed screen's memory is freed at once."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.calls import unexpected_message
from tui.logs import logger, new_reference
from tui.textual_hooks import lean_screen

_log = logger("screens")

ResultType = TypeVar("ResultType")


class _ReportFailedWorkers:
    """A worker that fails unexpectedly (not a ServiceError, which the screens show at the field)
    would otherwise vanish without a word: log it with its traceback and tell the clerk the reference,
    never the traceback. (Workers started through tui.calls report their own failures.)"""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            reference = new_reference()
            actor = getattr(self.app, "actor", None)
            _log.error("unexpected worker %s ref=%s user=%s screen=%s", event.worker.name, reference,
                       getattr(actor, "username", "-"), type(self).__name__, exc_info=event.worker.error)
            self.app.notify(unexpected_message(reference), title="系统错误", severity="error", timeout=20)

    def on_screen_resume(self) -> None:
        show = getattr(self.app, "show_last_message", None)  # WxzjApp's message line (tui.messages)
        if show is not None:
            show(self)


class _FreedWhenClosed:
    """A closed screen's widgets refer to one another: the app's collector frees them (tui.memory) once
    the screen is down, which is when it unmounts (after all its widgets have)."""

    def on_unmount(self) -> None:
        memory = getattr(self.app, "memory", None)  # WxzjApp's; a test's bare App has none
        if memory is not None:
            memory.collect_soon()


@lean_screen
class LeanScreen(_FreedWhenClosed, _ReportFailedWorkers, Screen[ResultType]):
    pass


@lean_screen
class LeanModalScreen(_FreedWhenClosed, _ReportFailedWorkers, ModalScreen[ResultType]):
    pass
