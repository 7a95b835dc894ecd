"""The frame the review queues share: a title, a hint line, the table of what awaits review, a message line,
a reload each time the reviewer comes back to it (a decision was just made, or another reviewer's), and
Enter on a row opening that item."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.screens_base import LeanScreen
from tui.table import Table
from tui.widgets import LeanFooter, PlainStatic


class QueueScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    QueueScreen DataTable { height: 1fr; scrollbar-size-vertical: 1; }
    QueueScreen #queue-info { height: auto; }
    """
    HEADING = ""
    HINT = ""
    COLUMNS: tuple[tuple[str, int | None], ...] = ()  # (title, width): free text cut with … to fit 80 columns
    PICK_FIRST = ""  # said by Enter on an empty queue

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[int] = []  # the id of each row's item, in table order

    def compose(self) -> ComposeResult:
        yield Static(self.HEADING, classes="title", markup=False)
        yield PlainStatic(self.HINT, id="queue-info", classes="hint")
        table = Table(id="queue", cursor_type="row", zebra_stripes=False, compact=True)
        for title, width in self.COLUMNS:
            table.add_column(title, width=width)
        yield table
        yield PlainStatic("", id="queue-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        raise NotImplementedError

    def show_rows(self, rows, ids: list[int], empty: str) -> None:
        """Refill the table; `empty` is said when nothing awaits review."""
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(rows)
        self.ids = list(ids)
        self.say("" if self.ids else empty)

    def say(self, message: str) -> None:
        self.query_one("#queue-message", PlainStatic).set_text(message)

    def show_error(self, error) -> None:
        self.say(error.message)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.ids or table.cursor_row < 0:
            if self.PICK_FIRST:
                self.say(self.PICK_FIRST)
            return
        self.app.push_screen(self.review_screen(self.ids[table.cursor_row]))

    def review_screen(self, item_id: int) -> Screen:
        raise NotImplementedError
