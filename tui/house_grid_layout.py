"""Where each house sits in the house grid, and where the cursor goes from a cell.

Rows are floors (row 0 = the highest floor); columns are room positions, unit after unit.
Pure geometry, no Textual, so the widget stays about drawing and keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len

from services.estate.grid_model import BuildingGrid, GridCell

CELL_WIDTH = 7  # room number (5) + tick mark + short-balance mark
ROOM_WIDTH = CELL_WIDTH - 2
SEPARATOR = 1  # one column between unit groups

Pos = tuple[int, int]  # (row, column)


def floor_label(floor: int) -> str:
    return f"{floor}F" if floor > 0 else f"B{-floor}"


class GridLayout:
    def __init__(self, building: BuildingGrid) -> None:
        self.floors = building.floors
        self.labels = [floor_label(floor) for floor in self.floors]
        self.label_width = max([3, *map(cell_len, self.labels)]) + 1
        row_of = {floor: row for row, floor in enumerate(self.floors)}

        # Unit groups: first column and first x (in the scrolled body, label excluded) of each.
        self.units: list[tuple[int, int, int, int]] = []  # (unit, rooms, first column, body x)
        unit_at: dict[int, tuple[int, int]] = {}  # unit → (first column, rooms)
        column = x = 0
        for unit, rooms in building.units:
            self.units.append((unit, rooms, column, x))
            unit_at[unit] = (column, rooms)
            column += rooms
            x += rooms * CELL_WIDTH + SEPARATOR
        self.body_width = max(x - SEPARATOR, 0)
        self.column_x: list[int] = []
        self.unit_of_column: list[int] = []
        for index, (_unit, rooms, _first, unit_x) in enumerate(self.units):
            self.column_x += [unit_x + room * CELL_WIDTH for room in range(rooms)]
            self.unit_of_column += [index] * rooms

        self.cells: dict[Pos, GridCell] = {}
        self.pos_of: dict[int, Pos] = {}
        for cell in building.cells:
            first, rooms = unit_at.get(cell.unit, (0, 0))
            if cell.floor not in row_of or not 1 <= cell.room <= rooms:
                raise ValueError(f"house {cell.house_id} (unit {cell.unit}, floor {cell.floor}, room {cell.room}) "
                                 f"lies outside building {building.building_id}'s floors and units")
            pos = (row_of[cell.floor], first + cell.room - 1)
            self.cells[pos] = cell
            self.pos_of[cell.house_id] = pos
        # Per row, its cells' columns in order: what left/right, Home and End walk over.
        self.row_columns: list[list[int]] = [[] for _ in self.floors]
        for row, column in sorted(self.cells):
            self.row_columns[row].append(column)

    @property
    def rows(self) -> int:
        return len(self.floors)

    def first(self) -> Pos | None:
        return next(((row, columns[0]) for row, columns in enumerate(self.row_columns) if columns), None)

    def last(self) -> Pos | None:
        return next(((row, columns[-1]) for row, columns in reversed(list(enumerate(self.row_columns)))
                     if columns), None)

    # -- moves: each returns the new position, or the old one when there is nowhere to go --
    def step_across(self, pos: Pos, direction: int) -> Pos:
        row, column = pos
        columns = self.row_columns[row]
        ahead = [c for c in columns if (c - column) * direction > 0]
        if not ahead:
            return pos
        return row, min(ahead, key=lambda c: abs(c - column))

    def step_down(self, pos: Pos, direction: int) -> Pos:
        """Up (-1) or down (+1): the next floor that has houses, in this column or the nearest."""
        row = pos[0]
        return self._nearest(pos, range(row + direction, self.rows if direction > 0 else -1, direction))

    def page(self, pos: Pos, floors: int) -> Pos:
        """`floors` floors further (negative: up), or as near to that as a house allows."""
        row = pos[0]
        target = min(max(row + floors, 0), self.rows - 1)
        # From the target back towards the cursor, so a page never overshoots a house.
        towards = range(target, row, -1 if floors > 0 else 1)
        return self._nearest(pos, towards)

    def row_end(self, pos: Pos, last: bool) -> Pos:
        columns = self.row_columns[pos[0]]
        return pos[0], columns[-1 if last else 0]

    def _nearest(self, pos: Pos, rows: Iterable[int]) -> Pos:
        """The first of `rows` with houses, at the house nearest the cursor's column."""
        column = pos[1]
        for row in rows:
            if columns := self.row_columns[row]:
                return row, min(columns, key=lambda c: (abs(c - column), c))
        return pos

    # -- groups the tick keys work on -------------------------------------------------
    def row_ids(self, row: int) -> list[int]:
        return [self.cells[row, column].house_id for column in self.row_columns[row]]

    def unit_ids(self, column: int) -> list[int]:
        _unit, rooms, first, _x = self.units[self.unit_of_column[column]]
        return [cell.house_id for (_row, c), cell in self.cells.items() if first <= c < first + rooms]

    def stack_ids(self, column: int) -> list[int]:
        return [cell.house_id for (_row, c), cell in self.cells.items() if c == column]

    def all_ids(self) -> list[int]:
        return list(self.pos_of)
