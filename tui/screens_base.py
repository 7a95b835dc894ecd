"""Screen base classes: a focus move repaints only the widgets it concerns (tui.textual_hooks), and a
worker that fails unexpectedly is logged and reported."""

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


@lean_screen
class LeanScreen(_ReportFailedWorkers, Screen[ResultType]):
    pass


@lean_screen
class LeanModalScreen(_ReportFailedWorkers, ModalScreen[ResultType]):
    pass
