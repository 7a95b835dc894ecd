"""The house grid (新建任务单-选择房屋): a building's houses, one line per floor, drawn line by line.

Over a slow link each key must cost a few dozen bytes, so the grid is one Line API widget
(`render_line`) that repaints only the cells a key changed: a cursor move repaints two cells, a
tick one. Row strips are cached unscrolled and cropped to the view; a change drops only its row.
Scrolling is what repaints everything, so the view jumps (half a page, a whole unit) rather
than creeping one line per key.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from services.estate.grid_model import BuildingGrid
from tui.textual_hooks import NoFocusRepaint, quiet_focus
from tui.house_grid_layout import CELL_WIDTH, ROOM_WIDTH, GridLayout, Pos
from tui.text import clean

TICK = "✓"  # U+2713: one cell wide in every terminal (not an East Asian ambiguous character)
SHORT = "!"
UNIT_SEPARATOR = "│"
HEADER_ROWS = 1
ROW_CACHE_SIZE = 256


def fit_room(room_no: str) -> str:
    """The room number right-aligned in its cells; a long one keeps its end, where rooms differ."""
    room = clean(room_no).replace("\n", " ").replace("\t", " ")
    while cell_len(room) > ROOM_WIDTH:
        room = room[1:]
    return " " * (ROOM_WIDTH - cell_len(room)) + room


@quiet_focus
class HouseGrid(NoFocusRepaint, ScrollView, can_focus=True):
    """Houses of one building; ticks for the batch keys of the screen, Enter for the house card."""

    BINDINGS = [
        Binding("up", "move('up')", "上移", show=False, id="house_grid.up"),
        Binding("down", "move('down')", "下移", show=False, id="house_grid.down"),
        Binding("left", "move('left')", "左移", show=False, id="house_grid.left"),
        Binding("right", "move('right')", "右移", show=False, id="house_grid.right"),
        Binding("pageup", "page(-1)", "上一页", show=False, id="house_grid.page_up"),
        Binding("pagedown", "page(1)", "下一页", show=False, id="house_grid.page_down"),
        Binding("home", "row_end(False)", "本层首户", show=False, id="house_grid.row_start"),
        Binding("end", "row_end(True)", "本层末户", show=False, id="house_grid.row_end"),
        Binding("ctrl+home", "corner(False)", "首户", show=False, id="house_grid.first"),
        Binding("ctrl+end", "corner(True)", "末户", show=False, id="house_grid.last"),
        Binding("space", "tick", "勾选", id="house_grid.tick"),
        Binding("r", "tick_row", "整层", id="house_grid.tick_row"),
        Binding("c", "tick_unit", "整单元", id="house_grid.tick_unit"),
        Binding("s", "tick_stack", "同室号", id="house_grid.tick_stack"),
        Binding("a", "tick_all", "全选", id="house_grid.tick_all"),
        Binding("enter", "select", "房屋卡片", id="house_grid.card"),
    ]

    COMPONENT_CLASSES = {
        "house-grid--header",
        "house-grid--saved",
        "house-grid--short",
        "house-grid--cursor",
    }

    # No scrollbars: the floor labels and unit headers say where the view is, and a scrollbar
    # would be repainted on every scroll. Floor labels are plain: Textual writes a changed
    # cell's line from the widget's left edge, so the label goes out with every cell change.
    DEFAULT_CSS = """
    HouseGrid {
        width: 1fr;
        height: 1fr;
        scrollbar-size: 0 0;
    }
    HouseGrid > .house-grid--header { text-style: bold; color: $text-muted; }
    HouseGrid > .house-grid--saved { background: #d7d75f; color: #000000; }
    HouseGrid > .house-grid--short { color: $error; text-style: bold; }
    HouseGrid > .house-grid--cursor { text-style: reverse; }
    """

    class HouseSelected(Message):
        """Enter on a house: the screen opens its house card."""

        def __init__(self, grid: HouseGrid, house_id: int) -> None:
            super().__init__()
            self.grid = grid
            self.house_id = house_id

        @property
        def control(self) -> HouseGrid:
            return self.grid

    class TicksChanged(Message):
        """The set of ticked houses changed; `count` houses are ticked now."""

        def __init__(self, grid: HouseGrid, count: int) -> None:
            super().__init__()
            self.grid = grid
            self.count = count

        @property
        def control(self) -> HouseGrid:
            return self.grid

    def __init__(self, building: BuildingGrid, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.building = building
        self._layout = GridLayout(building)
        self._saved = {cell.house_id for cell in building.cells if cell.saved}
        self._short = {cell.house_id for cell in building.cells if cell.short}
        self._ticked: set[int] = set()
        self._cursor: Pos | None = self._layout.first()
        self._rows: LRUCache[int, Strip] = LRUCache(ROW_CACHE_SIZE)
        self._header: Strip | None = None
        self._styles: dict[str, Style] | None = None

    def on_mount(self) -> None:
        layout = self._layout
        self.virtual_size = Size(layout.label_width + layout.body_width, HEADER_ROWS + layout.rows)

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    # -- what the screen reads and sets ----------------------------------------------------
    @property
    def ticked(self) -> frozenset[int]:
        return frozenset(self._ticked)

    @property
    def current_house_id(self) -> int | None:
        return None if self._cursor is None else self._layout.cells[self._cursor].house_id

    def clear_ticks(self) -> None:
        self._set_ticks(set(self._ticked), False)

    def set_saved(self, house_ids: Iterable[int], saved: bool) -> None:
        ids = set(house_ids) & self._layout.pos_of.keys()
        changed = ids - self._saved if saved else ids & self._saved
        if saved:
            self._saved |= changed
        else:
            self._saved -= changed
        self._repaint(changed)

    def update_short(self, house_ids_short: set[int]) -> None:
        short = set(house_ids_short) & self._layout.pos_of.keys()
        changed = short ^ self._short
        self._short = short
        self._repaint(changed)

    # -- keys ------------------------------------------------------------------------------
    def action_move(self, direction: str) -> None:
        if self._cursor is None:
            return
        layout = self._layout
        if direction in ("left", "right"):
            self._move_to(layout.step_across(self._cursor, 1 if direction == "right" else -1))
        else:
            self._move_to(layout.step_down(self._cursor, 1 if direction == "down" else -1))

    def action_page(self, direction: int) -> None:
        if self._cursor is None:
            return
        floors = self._visible_rows() * direction
        old_row = self._cursor[0]
        target = self._layout.page(self._cursor, floors)
        # The view moves with the cursor, so the cursor keeps its place on the screen.
        self.scroll_to(y=self.scroll_offset.y + target[0] - old_row, animate=False, immediate=True)
        self._move_to(target)

    def action_row_end(self, last: bool) -> None:
        if self._cursor is not None:
            self._move_to(self._layout.row_end(self._cursor, last))

    def action_corner(self, last: bool) -> None:
        target = self._layout.last() if last else self._layout.first()
        if target is not None:
            self._move_to(target)

    def action_tick(self) -> None:
        if (house_id := self.current_house_id) is not None:
            self._toggle([house_id])

    def action_tick_row(self) -> None:
        if self._cursor is not None:
            self._toggle(self._layout.row_ids(self._cursor[0]))

    def action_tick_unit(self) -> None:
        if self._cursor is not None:
            self._toggle(self._layout.unit_ids(self._cursor[1]))

    def action_tick_stack(self) -> None:
        if self._cursor is not None:
            self._toggle(self._layout.stack_ids(self._cursor[1]))

    def action_tick_all(self) -> None:
        self._toggle(self._layout.all_ids())

    def action_select(self) -> None:
        if (house_id := self.current_house_id) is not None:
            self.post_message(self.HouseSelected(self, house_id))

    # -- state changes, each repainting only the cells it touched ---------------------------
    def _toggle(self, house_ids: list[int]) -> None:
        """Tick the group, or untick it when every house in it is ticked already."""
        group = set(house_ids)
        self._set_ticks(group, not group <= self._ticked)

    def _set_ticks(self, group: set[int], ticked: bool) -> None:
        changed = group - self._ticked if ticked else group & self._ticked
        if not changed:
            return
        if ticked:
            self._ticked |= changed
        else:
            self._ticked -= changed
        self._repaint(changed)
        self.post_message(self.TicksChanged(self, len(self._ticked)))

    def _move_to(self, target: Pos) -> None:
        old = self._cursor
        if target == old:
            return
        self._cursor = target
        self._repaint_positions([old, target])
        self._scroll_to_cursor()

    def _repaint(self, house_ids: Iterable[int]) -> None:
        self._repaint_positions([self._layout.pos_of[house_id] for house_id in house_ids])

    def _repaint_positions(self, positions: Iterable[Pos | None]) -> None:
        # One region per line, spanning all its changed cells: Textual writes each region from
        # the widget's left edge, so two regions on one line would write its start twice.
        lines: dict[int, Region] = {}
        for pos in positions:
            if pos is None:
                continue
            self._rows.discard(pos[0])
            region = self._cell_region(pos)
            if region:
                lines[region.y] = region.union(lines[region.y]) if region.y in lines else region
        if lines:
            self.refresh(*lines.values())

    def _cell_region(self, pos: Pos) -> Region:
        """The cell on screen (widget coordinates), clipped to the body; empty when scrolled away."""
        layout = self._layout
        width, height = self.scrollable_content_region.size
        scroll_x, scroll_y = self.scroll_offset
        row, column = pos
        cell = Region(layout.label_width + layout.column_x[column] - scroll_x,
                      HEADER_ROWS + row - scroll_y, CELL_WIDTH, 1)
        body = Region(layout.label_width, HEADER_ROWS, width - layout.label_width, height - HEADER_ROWS)
        return cell.intersection(body)

    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - HEADER_ROWS, 1)

    def _scroll_to_cursor(self) -> None:
        """Bring the cursor into view: its floor to mid-screen, its whole unit if it fits."""
        if self._cursor is None:
            return
        layout = self._layout
        row, column = self._cursor
        scroll_x, scroll_y = self.scroll_offset
        rows = self._visible_rows()
        if not scroll_y <= row < scroll_y + rows:
            scroll_y = row - rows // 2
        view_width = self.scrollable_content_region.width - layout.label_width
        _unit, rooms, _first, unit_x = layout.units[layout.unit_of_column[column]]
        cell_x = layout.column_x[column]
        if not scroll_x <= cell_x <= scroll_x + view_width - CELL_WIDTH:
            unit_end = unit_x + rooms * CELL_WIDTH
            if unit_end - unit_x <= view_width:
                scroll_x = unit_x if cell_x < scroll_x else unit_end - view_width
            else:
                scroll_x = cell_x if cell_x < scroll_x else cell_x + CELL_WIDTH - view_width
        if (scroll_x, scroll_y) != tuple(self.scroll_offset):
            self.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)

    # -- drawing ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._header = None
        self._rows.clear()

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {
                component.removeprefix("house-grid--"): self.get_component_rich_style(component, partial=True)
                for component in self.COMPONENT_CLASSES
            }
        return self._styles[name]

    def render_line(self, y: int) -> Strip:
        layout = self._layout
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        view_width = max(width - layout.label_width, 0)
        if y < HEADER_ROWS:
            left = Strip([Segment(" " * layout.label_width, self._style("header"))])
            body = self._header_strip(scroll_x, view_width)
        else:
            row = scroll_y + y - HEADER_ROWS
            if row >= layout.rows:
                return Strip.blank(width)
            label = set_cell_size(layout.labels[row], layout.label_width)
            left = Strip([Segment(label)])
            body = self._row_strip(row).crop(scroll_x, scroll_x + view_width)
        return Strip.join([left, body]).crop_extend(0, width, None)

    def _header_strip(self, scroll_x: int, view_width: int) -> Strip:
        """Unit headers over their groups; `<` / `>` at the edges when units are out of view."""
        layout = self._layout
        style = self._style("header")
        if self._header is None:
            segments = []
            for index, (unit, rooms, _first, _x) in enumerate(layout.units):
                if index:
                    segments.append(Segment(UNIT_SEPARATOR, style))
                title = f"{unit}单元"
                group = rooms * CELL_WIDTH
                pad = max(group - cell_len(title), 0)
                segments.append(Segment(set_cell_size(" " * (pad // 2) + title, group), style))
            self._header = Strip(segments).simplify()
        header = self._header.crop_extend(scroll_x, scroll_x + view_width, style)
        if view_width >= 2:
            left = "<" if scroll_x > 0 else None
            right = ">" if scroll_x + view_width < layout.body_width else None
            if left or right:
                middle = header.crop(1 if left else 0, view_width - 1 if right else view_width)
                header = Strip.join([
                    Strip([Segment(left, style)]) if left else None,
                    middle,
                    Strip([Segment(right, style)]) if right else None,
                ])
        return header

    def _row_strip(self, row: int) -> Strip:
        strip = self._rows.get(row)
        if strip is None:
            strip = self._build_row(row)
            self._rows[row] = strip
        return strip

    def _build_row(self, row: int) -> Strip:
        layout = self._layout
        plain = Style()
        segments: list[Segment] = []
        for index, (_unit, rooms, first, _x) in enumerate(layout.units):
            if index:
                segments.append(Segment(UNIT_SEPARATOR, plain))
            for column in range(first, first + rooms):
                segments += self._cell_segments(row, column)
        return Strip(Segment.simplify(segments), layout.body_width)

    def _cell_segments(self, row: int, column: int) -> list[Segment]:
        cell = self._layout.cells.get((row, column))
        if cell is None:
            return [Segment(" " * CELL_WIDTH)]
        house_id = cell.house_id
        room = fit_room(cell.room_no)
        text = room + (TICK if house_id in self._ticked else " ")
        style = self._style("saved") if house_id in self._saved else Style()
        if (row, column) == self._cursor:
            style += self._style("cursor")
        if house_id in self._short:
            return [Segment(text, style), Segment(SHORT, style + self._style("short"))]
        return [Segment(text + " ", style)]
