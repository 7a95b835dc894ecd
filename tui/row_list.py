"""A list of text rows under a header, drawn line by line, for lists that a clerk walks with the cursor.

A DataTable repaints two whole rows per cursor move (300-500 bytes of CJK text and styles); here the
cursor is a marked first cell, so a move repaints two short cells. Rows are plain strings, fitted to
fixed column widths by terminal cells (CJK counts two), shown literally (never markup, control
characters dropped). One column may take the width left over. 暂无数据 when there are no rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.textual_hooks import NoFocusRepaint, quiet_focus
from tui.text import fit

HEADER_ROWS = 1
MARKER = "▶"
EMPTY = "暂无数据"


@quiet_focus
class RowList(NoFocusRepaint, ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1)", "上移", show=False, id="row_list.up"),
        Binding("down", "move(1)", "下移", show=False, id="row_list.down"),
        Binding("home", "edge(False)", "首行", show=False, id="row_list.first"),
        Binding("end", "edge(True)", "末行", show=False, id="row_list.last"),
        Binding("enter", "select", "选择", show=False, id="row_list.select"),
    ]
    COMPONENT_CLASSES = {"row-list--header", "row-list--cursor", "row-list--empty"}
    DEFAULT_CSS = """
    RowList { width: 1fr; height: 1fr; scrollbar-size: 0 0; }
    RowList > .row-list--header { text-style: bold; color: $text-muted; }
    RowList > .row-list--cursor { text-style: reverse bold; }
    RowList > .row-list--empty { color: $text-muted; }
    """

    class Selected(Message):
        """Enter on a row."""

        def __init__(self, row_list: "RowList", key: Any) -> None:
            super().__init__()
            self.row_list = row_list
            self.key = key

        @property
        def control(self) -> "RowList":
            return self.row_list

    def __init__(self, columns: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        """`columns`: (title, width in cells); width None takes what the others leave (at least 6).
        The first column holds the cursor marker and should be at least 3 wide."""
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.rows: list[tuple[str, ...]] = []
        self.keys: list[Any] = []
        self.cursor = 0
        self._styles: dict[str, Style] | None = None

    # -- what the screen uses ----------------------------------------------------------------
    def set_rows(self, rows: Sequence[Sequence[str]], keys: Sequence[Any], cursor: int = 0) -> None:
        self.rows = [tuple(row) for row in rows]
        self.keys = list(keys)
        self.cursor = min(max(cursor, 0), max(len(self.rows) - 1, 0))
        self.virtual_size = Size(self.size.width, HEADER_ROWS + max(len(self.rows), 1))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current_key(self) -> Any:
        return self.keys[self.cursor] if self.rows else None

    # -- keys --------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_edge(self, last: bool) -> None:
        self._move_to(len(self.rows) - 1 if last else 0)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.current_key))

    def _move_to(self, target: int) -> None:
        if not self.rows:
            return
        target = min(max(target, 0), len(self.rows) - 1)
        if target == self.cursor:
            return
        old, self.cursor = self.cursor, target
        if not self._scroll_to_cursor():
            width = self._widths()[0]
            self.refresh(*(r for r in (self._marker_region(old, width), self._marker_region(target, width)) if r))

    def _marker_region(self, row: int, width: int) -> Region | None:
        y = HEADER_ROWS + row - self.scroll_offset.y
        if HEADER_ROWS <= y < self.size.height:
            return Region(0, y, width, 1)
        return None

    def _scroll_to_cursor(self) -> bool:
        """Bring the cursor into view by half a page at a time; True when the view moved."""
        rows = max(self.size.height - HEADER_ROWS, 1)
        top = self.scroll_offset.y
        if top <= self.cursor < top + rows:
            return False
        top = max(self.cursor - rows // 2, 0)
        self.scroll_to(y=top, animate=False, immediate=True)
        self.refresh()
        return True

    # -- drawing -----------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {c.removeprefix("row-list--"): self.get_component_rich_style(c, partial=True)
                            for c in self.COMPONENT_CLASSES}
        return self._styles[name]

    def _widths(self) -> list[int]:
        fixed = sum(w for _t, w in self.columns if w is not None) + len(self.columns) - 1
        spare = max(self.size.width - fixed, 6)
        return [w if w is not None else spare for _t, w in self.columns]

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, HEADER_ROWS + max(len(self.rows), 1))
        self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        widths = self._widths()
        if y < HEADER_ROWS:
            text = " ".join(fit(title, w) for (title, _), w in zip(self.columns, widths))
            return Strip([Segment(text, self._style("header"))]).crop_extend(0, width, None)
        row = self.scroll_offset.y + y - HEADER_ROWS
        if not self.rows:
            if row == 0:
                return Strip([Segment(fit(EMPTY, width), self._style("empty"))])
            return Strip.blank(width)
        if row >= len(self.rows):
            return Strip.blank(width)
        cells = self.rows[row]
        first = fit((MARKER if row == self.cursor else " ") + fit(cells[0], widths[0] - 1), widths[0])
        rest = " " + " ".join(fit(cell.replace("\n", " "), w) for cell, w in zip(cells[1:], widths[1:]))
        first_style = self._style("cursor") if row == self.cursor else Style()
        return Strip([Segment(first, first_style), Segment(rest)]).crop_extend(0, width, None)
