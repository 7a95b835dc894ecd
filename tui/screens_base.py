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

ResultType = TypeVar("ResultType")


class _ReportFailedWorkers:
    """A worker that fails unexpectedly (not a ServiceError, which the screens show at the field)
    would otherwise vanish without a word: tell the clerk, never with a traceback."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.app.notify(f"操作未完成：{error.__class__.__name__}。请重试，或联系系统管理员。",
                            title="系统错误", severity="error", timeout=15)


class LeanScreen(_ReportFailedWorkers, Screen[ResultType]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class LeanModalScreen(_ReportFailedWorkers, ModalScreen[ResultType]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
