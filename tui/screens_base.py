"""Screen base classes that repaint less.

Textual declares `Screen.focused` as a repainting reactive, so every focus move (Tab, Enter to
the next field) repaints the whole screen: ~3-5 KB at 80×24 for what is a change of two lines.
The widgets that gain and lose focus repaint themselves anyway.
"""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.calls import unexpected_message
from tui.logs import logger, new_reference

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


class LeanScreen(_ReportFailedWorkers, Screen[ResultType]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class LeanModalScreen(_ReportFailedWorkers, ModalScreen[ResultType]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
