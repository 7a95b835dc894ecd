"""The frame both review queues share: a title, a hint line, the table of what awaits review, a message line,
and a reload each time the reviewer comes back to it (a decision was just made, or another reviewer's)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tui.screens_base import LeanScreen
from tui.table import Table
from tui.widgets import LeanFooter, PlainStatic


class QueueScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    QueueScreen DataTable { height: 1fr; }
    QueueScreen #queue-info { height: auto; }
    """
    HEADING = ""
    COLUMNS: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(self.HEADING, classes="title", markup=False)
        yield PlainStatic("", id="queue-info", classes="hint")
        table = Table(id="queue", cursor_type="row", zebra_stripes=False)
        table.add_columns(*self.COLUMNS)
        yield table
        yield PlainStatic("", id="queue-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        raise NotImplementedError
