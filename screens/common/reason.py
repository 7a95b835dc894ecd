"""The reason a reviewer gives for 审批退回 or 撤销: one line typed, checked by the service's rule
before the dialog closes, so the message stands at the field."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from services.core.errors import ValidationError
from services.review.task_orders import REASON_MAX, clean_reason
from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.widgets import CompactInput, LeanFooter, PlainStatic


class ReasonDialog(LeanModalScreen[str | None]):
    DEFAULT_CSS = """
    ReasonDialog { align: center middle; }
    ReasonDialog > Vertical { width: 70; height: auto; border: solid $warning; padding: 1 2; }
    ReasonDialog CompactInput { width: 1fr; margin-top: 1; }
    ReasonDialog #reason-error { height: auto; color: $error; }
    ReasonDialog .keys { padding-top: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消", id="reason.cancel")]

    def __init__(self, question: str, *, clean=clean_reason, max_length: int = REASON_MAX) -> None:
        """`clean`: the service's rule for the reason (returns it as stored or raises ValidationError)."""
        super().__init__()
        self.question = question
        self._clean = clean
        self._max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.question))
            yield CompactInput(id="reason", max_length=self._max_length, placeholder="请填写原因（必填）")
            yield PlainStatic("", id="reason-error")
            yield Static("Enter 确定　　Esc 取消", classes="keys", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            reason = self._clean(event.value)
        except ValidationError as exc:
            self.query_one("#reason-error", PlainStatic).set_text(exc.message)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
