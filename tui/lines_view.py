"""A read-only table for big lists (an order's 20,000 lines): drawn with the Line API, so only the
rows on screen are formatted and painted, however long the list is.

DataTable builds a row object per line and measures every cell when rows are added: 20,000 lines
took about 3 s on the UI thread with keys dead. Here the rows are the caller's objects, formatted
by `cells(item)` only when a row is drawn (and cached), and column widths come from the header and
a sample of rows; a wider cell is cut with "…". Text is always literal (tui.text.visible).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text import clip, visible

SAMPLE = 400  # rows measured at each end of the list for the column widths
_HEADER = Style(bold=True)
_CURSOR = Style(reverse=True)


class LinesView(ScrollView, can_focus=True):
    """Columns (label, align "l"/"r"), rows given as any sequence with a cell formatter."""

    DEFAULT_CSS = """
    LinesView { height: 1fr; overflow-x: auto; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "上一行", show=False, id="lines.up"),
        Binding("down", "move(1)", "下一行", show=False, id="lines.down"),
        Binding("pageup", "page(-1)", "上一页", show=False, id="lines.page_up"),
        Binding("pagedown", "page(1)", "下一页", show=False, id="lines.page_down"),
        Binding("home", "edge(0)", "第一行", show=False, id="lines.first"),
        Binding("end", "edge(1)", "最后一行", show=False, id="lines.last"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, view: "LinesView", row: int) -> None:
            super().__init__()
            self.view, self.row = view, row

    def __init__(self, columns: Sequence[tuple[str, str]], items: Sequence[Any] = (),
                 cells: Callable[[Any], Sequence[Any]] = tuple, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self._cells = cells
        self._items: Sequence[Any] = ()
        self._cache: dict[int, tuple[str, ...]] = {}
        self._natural: list[int] = []  # each column as wide as its widest sampled cell (at most 40)
        self._widths: list[int] = []  # as drawn: the text columns narrowed to the view's width
        self._gap = 2
        self.set_items(items)

    # -- data --------------------------------------------------------------------------------
    def set_items(self, items: Sequence[Any], cells: Callable[[Any], Sequence[Any]] | None = None) -> None:
        self._items = items
        if cells is not None:
            self._cells = cells
        self._cache.clear()
        self._natural = self._measure()
        self._fit()
        self.set_reactive(LinesView.cursor_row, min(self.cursor_row, max(len(items) - 1, 0)))
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._items)

    def get_row_at(self, index: int) -> list[str]:
        return list(self._row(index))

    def export_table(self, title: str, columns: Sequence[str] | None = None,
                     cells: Callable[[Any], Sequence[Any]] | None = None):
        """Every row (as shown, or by the given columns and cells), for 导出Excel (screens.transfer.export)."""
        from services.transfer.export import ExportTable

        columns = list(columns) if columns is not None else [label for label, _ in self.columns]
        cells = cells or self._cells
        return ExportTable(title, columns, [list(cells(item)) for item in self._items])

    def _row(self, index: int) -> tuple[str, ...]:
        row = self._cache.get(index)
        if row is None:
            if len(self._cache) > 4096:  # a long scroll must not keep every row formatted
                self._cache.clear()
            row = self._cache[index] = tuple(visible(str(c)) for c in self._cells(self._items[index]))
        return row

    def _measure(self) -> list[int]:
        widths = [cell_len(label) for label, _ in self.columns]
        n = len(self._items)
        sample = range(n) if n <= 2 * SAMPLE else [*range(SAMPLE), *range(n - SAMPLE, n)]
        for index in sample:
            for column, text in enumerate(self._row(index)):
                widths[column] = max(widths[column], cell_len(text))
        return [min(w, 40) for w in widths]

    def _fit(self) -> None:
        """Fit the view's width: columns one cell apart instead of two, then the widest left-aligned
        (text) columns narrowed, the first one last, never below 8 cells or their title. At 80
        columns a long owner name took the room of 扣划 and 欠款."""
        widths = list(self._natural)
        room = self.scrollable_content_region.width or 10**6  # less the scrollbar
        self._gap = 2 if sum(widths) + 2 * len(widths) <= room else 1
        over = sum(widths) + self._gap * len(widths) - room
        while over > 0:
            text = [i for i, (label, align) in enumerate(self.columns)
                    if align == "l" and widths[i] > max(8, cell_len(label))]
            if not text:
                break
            # the first column (the house) last: it names the row
            widest = max(text, key=lambda i: (i > 0, widths[i]))
            widths[widest] -= 1
            over -= 1
        self._widths = widths
        self.virtual_size = Size(sum(widths) + self._gap * len(widths), len(self._items) + 1)

    def on_resize(self) -> None:
        self._fit()
        self.refresh()

    # -- drawing -----------------------------------------------------------------------------
    def _line(self, texts: Sequence[str], style: Style) -> list[Segment]:
        segments = []
        for (label, align), width, text in zip(self.columns, self._widths, texts):
            text = clip(text, width)
            pad = " " * (width - cell_len(text))
            segments.append(Segment((pad + text if align == "r" else text + pad) + " " * self._gap, style))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:  # the header stays put while the rows scroll under it
            segments = self._line([label for label, _ in self.columns], base + _HEADER)
        else:
            index = scroll_y + y - 1
            if index >= len(self._items):
                return Strip.blank(width, base)
            style = base + _CURSOR if index == self.cursor_row and self.has_focus else base
            segments = self._line(self._row(index), style)
        total = sum(self._widths) + self._gap * len(self._widths)
        return Strip(segments, total).crop_extend(scroll_x, scroll_x + width, base)

    # -- moving ------------------------------------------------------------------------------
    def _body_height(self) -> int:
        return max(self.size.height - 1, 1)

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + self._body_height():
            self.scroll_to(y=new - self._body_height() + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, new))

    def action_move(self, step: int) -> None:
        if self._items:
            self.cursor_row = max(0, min(len(self._items) - 1, self.cursor_row + step))

    def action_page(self, step: int) -> None:
        self.action_move(step * self._body_height())

    def action_edge(self, end: int) -> None:
        if self._items:
            self.cursor_row = len(self._items) - 1 if end else 0

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
