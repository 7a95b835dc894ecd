"""The data table the screens use (kept out of tui.widgets: the login screen must not load it)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.text import visible
from tui.textual_hooks import narrow_cursor, table_rewiden


class Cell(Text):
    """A literal cell that still reads as the string it shows: `get_row_at(0)[0] == "WX…"`."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.plain == other
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(self.plain)

    def __repr__(self) -> str:
        return repr(self.plain)


def _cell(value: Any) -> Any:
    # DataTable reads a plain str as Rich markup: `屋面[/]维修` raised MarkupError and
    # `[link=…]` became a live link. Every str cell is literal, control characters visible;
    # styled Text and numbers pass as given.
    if isinstance(value, str):
        return Cell(visible(value), end="")
    if isinstance(value, Text) and not isinstance(value, Cell) and not value.spans and not value.style:
        return Cell(visible(value.plain), end="")
    return value



@narrow_cursor
@table_rewiden
class Table(DataTable):
    """A DataTable that shows every text cell literally and never with stale column widths, and whose
    row cursor colours the row's first columns only, so a step costs the link half as much
    (see tui.textual_hooks)."""

    cursor_columns = 2  # the key columns (the 选 mark and 申请编号, 流水号 and 申请编号, …); 0: the whole row

    # Home/End scrolled sideways only (a row cursor stayed put): in a list they go to the first
    # and the last row, as a clerk expects.
    BINDINGS = [
        Binding("home", "scroll_top", "第一行", show=False, id="table.first"),
        Binding("end", "scroll_bottom", "最后一行", show=False, id="table.last"),
    ]

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None):
        # DataTable reads a str label as markup with emoji codes, which loads Rich's 1.6 MB emoji table
        # into every clerk's process for column names that hold neither.
        if isinstance(label, str):
            label = Text(visible(label), end="")
        return super().add_column(label, width=width, key=key, default=default)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None):
        return super().add_row(*map(_cell, cells), height=height, key=key, label=label)

    def update_cell(self, row_key, column_key, value: Any, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, _cell(value), update_width=update_width)
