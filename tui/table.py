"""The data table the screens use (kept out of tui.widgets: the login screen must not load it)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.text import clip, short_time, visible
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


class GapCell(Cell):
    """A cell of a compact table, drawn after a one-cell gap (the table pads nothing itself, so its
    columns stand one cell apart instead of two), cut with … where its column is narrower. A number
    still reads as the number: `get_row_at(0)[5] == 72`."""

    def __init__(self, text: str, value: Any = None, **kwargs: Any) -> None:
        super().__init__(text, end="", overflow="ellipsis", **kwargs)
        self.value = text if value is None else value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return self.value == other
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(self.plain)

    def __rich_measure__(self, console, options) -> Measurement:
        shown = super().__rich_measure__(console, options)
        return Measurement(shown.minimum + 1, shown.maximum + 1)

    def __rich_console__(self, console, options):
        shown = self.copy()
        room = options.max_width - 1
        if cell_len(shown.plain) > room > 1:  # cut here: rich's … left a blank where a CJK character split
            shown = Text(clip(shown.plain, room), style=self.style, justify=self.justify, end="")
        shown.pad_left(1)
        yield from shown.__rich_console__(console, options)


def time_cell(stamp: str) -> GapCell:
    """A time in a compact table: shown short (tui.text.short_time), exported whole."""
    return GapCell(visible(short_time(stamp)), stamp)


def _cell(value: Any, compact: bool = False) -> Any:
    # DataTable reads a plain str as Rich markup: `屋面[/]维修` raised MarkupError and
    # `[link=…]` became a live link. Every str cell is literal, control characters visible;
    # styled Text and numbers pass as given (in a compact table as gap cells, to keep their gap).
    if isinstance(value, GapCell):
        return value
    if isinstance(value, Text) and not isinstance(value, Cell) and not value.spans and not value.style:
        value = value.plain
    if isinstance(value, str):
        return GapCell(visible(value)) if compact else Cell(visible(value), end="")
    if compact and isinstance(value, (int, float)) and not isinstance(value, bool):
        return GapCell(f"{value:.2f}" if isinstance(value, float) else str(value), value)
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

    def __init__(self, *args: Any, compact: bool = False, **kwargs: Any) -> None:
        """`compact`: columns one cell apart (not two), so that a list of seven or eight columns fits
        80; a column given a width cuts its longer values with …"""
        if compact:
            kwargs["cell_padding"] = 0
        super().__init__(*args, **kwargs)
        self.compact = compact

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None):
        # DataTable reads a str label as markup with emoji codes, which loads Rich's 1.6 MB emoji table
        # into every clerk's process for column names that hold neither.
        if self.compact:
            label = _cell(label, True)
            width = None if width is None else width + 1  # and the gap
        elif isinstance(label, str):
            label = Text(visible(label), end="")
        return super().add_column(label, width=width, key=key, default=default)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None):
        return super().add_row(*(_cell(c, self.compact) for c in cells), height=height, key=key, label=label)

    def update_cell(self, row_key, column_key, value: Any, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, _cell(value, self.compact), update_width=update_width)
