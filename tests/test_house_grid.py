"""The house grid and the house card, driven by keys in a small app of their own (no database)."""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.geometry import Region

from bench.grid_app import synthetic_building
from services.estate.grid_model import BuildingGrid, GridCell, HouseCardData
from tui.house_card import HouseCard
from tui.house_grid import HouseGrid, fit_room
from tui.screens_base import LeanScreen


def building(floors: tuple[int, ...], units: tuple[tuple[int, int], ...], missing=(), saved=(), short=()) -> BuildingGrid:
    """Every (unit, floor, room) except `missing`; house ids count up from 1 in that order."""
    cells = []
    for unit, rooms in units:
        for floor in floors:
            for room in range(1, rooms + 1):
                if (unit, floor, room) in missing:
                    continue
                house_id = len(cells) + 1
                room_no = f"{floor}{room:02d}" if floor > 0 else f"B{-floor}-{room:02d}"
                cells.append(GridCell(house_id, unit, floor, room, room_no, "住宅",
                                      house_id in saved, house_id in short))
    return BuildingGrid(1, "1号楼", floors, units, tuple(cells))


def ids(grid_data: BuildingGrid, **where) -> set[int]:
    return {c.house_id for c in grid_data.cells if all(getattr(c, k) == v for k, v in where.items())}


# Floors 6…1 and B1, no floor 4; unit 1: 2 rooms, unit 2: 3 rooms; unit 2 has no room 3 on 1F
# (a shop takes its place) and unit 1 has nothing on 6F.
SMALL = building((6, 5, 3, 2, 1, -1), ((1, 2), (2, 3)),
                 missing={(2, 1, 3), (1, 6, 1), (1, 6, 2)}, saved={3}, short={4})


class GridScreen(LeanScreen):
    def __init__(self, data: BuildingGrid) -> None:
        super().__init__()
        self.data = data
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield HouseGrid(self.data)
        yield HouseCard()

    @on(HouseGrid.TicksChanged)
    @on(HouseGrid.HouseSelected)
    @on(HouseCard.SaveRequested)
    @on(HouseCard.RemoveRequested)
    @on(HouseCard.Closed)
    def record(self, message) -> None:
        self.messages.append(message)

    @on(HouseGrid.HouseSelected)
    def open_card(self, event: HouseGrid.HouseSelected) -> None:
        self.query_one(HouseCard).show(HouseCardData(
            event.house_id, "1号楼 2单元 1201", "住宅", area=8950, owner_name="[bold]张三",
            balance_fen=1_234_567, frozen_fen=10_000, available_fen=1_224_567, saved=False))


class GridApp(App[None]):
    def __init__(self, data: BuildingGrid) -> None:
        super().__init__()
        self.data = data

    def on_mount(self) -> None:
        self.push_screen(GridScreen(self.data))


@pytest.fixture
def run_grid():
    def run(data: BuildingGrid = SMALL, size=(80, 24)):
        return GridApp(data).run_test(size=size)
    return run


def grid_of(app) -> HouseGrid:
    return app.screen.query_one(HouseGrid)


def lines(grid: HouseGrid, count: int) -> list[str]:
    return [grid.render_line(y).text for y in range(count)]


def room_at(grid: HouseGrid) -> str:
    cell = next(c for c in grid.building.cells if c.house_id == grid.current_house_id)
    return cell.room_no


async def test_layout_floors_descend_with_units_on_top_and_gaps_blank(run_grid):
    async with run_grid() as pilot:
        grid = grid_of(pilot.app)
        header, *rows = lines(grid, 8)
        assert "1单元" in header and "2单元" in header
        assert header.index("1单元") < header.index("2单元")
        assert [row.split()[0] for row in rows[:6]] == ["6F", "5F", "3F", "2F", "1F", "B1"]
        assert rows[6].strip() == ""  # below the lowest floor
        # 6F: unit 1 has no houses there, unit 2 has three.
        assert rows[0].split() == ["6F", "│", "601", "602", "603"]
        assert rows[0].index("601") > 5 + 2 * 7  # after the blank cells of unit 1
        # 1F: unit 2 room 3 is missing, the line simply ends with room 2.
        assert rows[4].split() == ["1F", "101", "102", "│", "101", "102"]
        # Five-character room numbers fill their cell up to the marks.
        assert rows[5].split() == ["B1", "B1-01", "B1-02", "│B1-01", "B1-02", "B1-03"]


async def test_a_building_without_floors_4_13_14_lists_only_its_floors(run_grid):
    floors = tuple(f for f in range(16, 0, -1) if f not in (4, 13, 14))
    async with run_grid(building(floors, ((1, 2),))) as pilot:
        labels = [line.split()[0] for line in lines(grid_of(pilot.app), 14)[1:]]
        assert labels == ["16F", "15F", "12F", "11F", "10F", "9F", "8F", "7F", "6F", "5F", "3F", "2F", "1F"]


async def test_short_houses_are_marked_and_saved_ones_yellow(run_grid):
    async with run_grid() as pilot:
        grid = grid_of(pilot.app)
        house_4 = next(c for c in SMALL.cells if c.house_id == 4)  # unit 1, 3F, room 2
        assert house_4.room_no == "302"
        row = lines(grid, 4)[3]
        assert "302 !" in row
        assert cell_background(grid, 3) is not None  # 3 = house 3, 301, saved
        assert cell_background(grid, 4) is None


def cell_background(grid: HouseGrid, house_id: int):
    """The background colour the grid draws the house's cell in, or None for plain."""
    row, column = grid._layout.pos_of[house_id]
    x = grid._layout.label_width + grid._layout.column_x[column] - grid.scroll_offset.x
    strip = grid.render_line(1 + row - grid.scroll_offset.y)
    return strip.crop(x, x + 1)._segments[0].style.bgcolor


async def test_arrows_skip_gaps_and_stay_at_edges(run_grid):
    async with run_grid() as pilot:
        grid = grid_of(pilot.app)
        assert room_at(grid) == "601"  # the first house of the top floor, in unit 2
        await pilot.press("left")
        assert room_at(grid) == "601"  # nothing to the left on 6F
        await pilot.press("down")
        assert (room_at(grid), grid._cursor) == ("501", (1, 2))  # same column, unit 2
        await pilot.press("left")
        assert grid._cursor == (1, 1)  # into unit 1, room 2
        await pilot.press("up")
        assert grid._cursor == (0, 2)  # 6F has no unit 1: the nearest house on the floor above
        await pilot.press("right", "right", "right")
        assert grid._cursor == (0, 4)  # the last room, and no further
        await pilot.press("down", "down", "down")
        assert grid._cursor == (3, 4)  # 5F, 3F (no floor 4), 2F
        await pilot.press("down")
        assert grid._cursor == (4, 3)  # 1F has no room 3 in unit 2: its nearest house
        await pilot.press("down", "down")
        assert grid._cursor == (5, 3)  # B1, and no further
        await pilot.press("home")
        assert grid._cursor == (5, 0)
        await pilot.press("end")
        assert grid._cursor == (5, 4)
        await pilot.press("ctrl+home")
        assert grid._cursor == (0, 2)


async def test_page_down_and_up_move_a_page_of_floors_and_the_view(run_grid):
    async with run_grid(synthetic_building(), size=(80, 24)) as pilot:
        grid = grid_of(pilot.app)
        page = 24 - 1  # the grid fills the screen; one line is the unit header
        await pilot.press("pagedown")
        assert room_at(grid) == f"{100 - page}01"
        assert grid.scroll_offset.y == page
        assert lines(grid, 2)[1].startswith(f"{100 - page}F")
        await pilot.press("pageup")
        assert room_at(grid) == "10001" and grid.scroll_offset.y == 0
        await pilot.press("ctrl+end")
        assert (grid._cursor, room_at(grid)) == ((99, 11), "104")  # 1F, unit 3, room 4
        assert lines(grid, 24)[-1].startswith("1F")


async def test_the_100_floor_building_opens_and_moves_by_single_cells(run_grid):
    async with run_grid(synthetic_building()) as pilot:
        grid = grid_of(pilot.app)
        assert lines(grid, 2)[1].startswith("100F")
        refreshed: list[tuple[Region, ...]] = []
        refresh = grid.refresh
        grid.refresh = lambda *regions, **kw: refreshed.append(regions) or refresh(*regions, **kw)
        await pilot.press("right", "down", "space")
        # A move repaints the two cells (one region per line), a tick one cell; never the widget.
        assert [[(r.width, r.height) for r in regions] for regions in refreshed] == [
            [(14, 1)], [(7, 1), (7, 1)], [(7, 1)]]
        await pilot.press(*["down"] * 30)
        assert room_at(grid) == "6902" and 0 < grid.scroll_offset.y <= 69


async def test_twelve_units_of_one_room_scroll_sideways_with_the_labels_kept(run_grid):
    data = building(tuple(range(18, 0, -1)), tuple((u, 1) for u in range(1, 13)))
    async with run_grid(data) as pilot:
        grid = grid_of(pilot.app)
        assert "12单元" not in lines(grid, 1)[0] and lines(grid, 1)[0].endswith(">")
        await pilot.press("end")
        assert grid.scroll_offset.x > 0
        header, top = lines(grid, 2)
        assert "12单元" in header and header[grid._layout.label_width] == "<"
        assert top.startswith("18F") and top.rstrip().endswith("1801")
        await pilot.press("home")
        assert grid.scroll_offset.x == 0


async def test_space_ticks_and_unticks_one_house(run_grid):
    async with run_grid() as pilot:
        grid, screen = grid_of(pilot.app), pilot.app.screen
        await pilot.press("space")
        assert grid.ticked == {grid.current_house_id}
        assert "601✓" in lines(grid, 2)[1]
        await pilot.press("space")
        assert grid.ticked == frozenset()
        await pilot.pause()
        assert [m.count for m in screen.messages if isinstance(m, HouseGrid.TicksChanged)] == [1, 0]


async def test_row_column_stack_and_all_tick_as_groups_and_toggle(run_grid):
    async with run_grid() as pilot:
        grid = grid_of(pilot.app)
        await pilot.press("down")  # 5F, unit 2 room 1
        await pilot.press("r")
        assert grid.ticked == ids(SMALL, floor=5)
        await pilot.press("r")
        assert grid.ticked == frozenset()
        await pilot.press("space", "r")  # partly ticked: the whole floor gets ticked
        assert grid.ticked == ids(SMALL, floor=5)
        grid.clear_ticks()
        await pilot.press("c")
        assert grid.ticked == ids(SMALL, unit=2)
        await pilot.press("c")
        assert grid.ticked == frozenset()
        await pilot.press("s")
        assert grid.ticked == ids(SMALL, unit=2, room=1)
        await pilot.press("a")
        assert grid.ticked == ids(SMALL)
        await pilot.press("a")
        assert grid.ticked == frozenset()
        await pilot.pause()
        counts = [m.count for m in pilot.app.screen.messages if isinstance(m, HouseGrid.TicksChanged)]
        assert counts[-2:] == [len(SMALL.cells), 0]


async def test_set_saved_and_update_short_change_only_those_houses(run_grid):
    async with run_grid() as pilot:
        grid = grid_of(pilot.app)
        refreshed: list[tuple[Region, ...]] = []
        refresh = grid.refresh
        grid.refresh = lambda *regions, **kw: refreshed.append(regions) or refresh(*regions, **kw)
        grid.set_saved([1, 2], True)
        assert [[(r.width, r.height) for r in regions] for regions in refreshed] == [[(14, 1)]]  # 501 and 502
        grid.set_saved([3], False)
        assert cell_background(grid, 1) is not None and cell_background(grid, 2) is not None
        assert cell_background(grid, 3) is None
        grid.update_short({1})
        _header, _6f, row_5f, row_3f = lines(grid, 4)
        assert "302 !" not in row_3f and "302  " in row_3f
        assert "501 !" in row_5f


def test_houses_outside_the_floors_or_units_are_refused():
    stray = GridCell(99, unit=1, floor=4, room=1, room_no="401", use="住宅", saved=False, short=False)
    with pytest.raises(ValueError, match="house 99"):
        HouseGrid(BuildingGrid(1, "1号楼", (3, 2, 1), ((1, 2),), (stray,)))


def test_long_room_numbers_keep_their_end():
    assert fit_room("1201") == " 1201"
    assert fit_room("商铺101") == "铺101"
    assert fit_room("B1-101") == "1-101"
    assert fit_room("A\x1b[31m1") == "[31m1"  # no escape reaches the terminal


async def test_enter_posts_house_selected_and_the_card_shows_text_literally(run_grid):
    async with run_grid() as pilot:
        grid, screen = grid_of(pilot.app), pilot.app.screen
        before = lines(grid, 8)
        await pilot.press("enter")
        await pilot.pause()
        selected = [m for m in screen.messages if isinstance(m, HouseGrid.HouseSelected)]
        assert [m.house_id for m in selected] == [grid.current_house_id]
        card = screen.query_one(HouseCard)
        assert card.is_open and pilot.app.focused is card
        shown = str(card.render())
        assert "[bold]张三" in shown
        assert "12,345.67" in shown and "12,245.67" in shown and "89.50" in shown and "未保存" in shown
        await pilot.press("f2", "f3")
        await pilot.pause()
        requests = [(type(m).__name__, m.house_id) for m in screen.messages
                    if isinstance(m, (HouseCard.SaveRequested, HouseCard.RemoveRequested))]
        assert requests == [("SaveRequested", grid.current_house_id), ("RemoveRequested", grid.current_house_id)]
        await pilot.press("escape")
        await pilot.pause()
        assert not card.is_open and pilot.app.focused is grid
        assert any(isinstance(m, HouseCard.Closed) for m in screen.messages)
        assert lines(grid, 8) == before
        await pilot.press("right")  # the grid has the keys again
        assert room_at(grid) == "602"


async def test_the_card_sits_in_the_middle_of_the_screen(run_grid):
    async with run_grid() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        region = pilot.app.screen.query_one(HouseCard).region
        assert region.center == pytest.approx((40, 12), abs=1)
