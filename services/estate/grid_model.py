"""Plain data the house grid and the house card are drawn from.

The services fill these from the database; the widgets in tui/ only read them. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GridCell:
    house_id: int
    unit: int  # 1-based unit number
    floor: int  # floor label: may be negative (basement), never 0, may skip (no 4/13/14)
    room: int  # 1-based room position within that unit on that floor
    room_no: str  # e.g. "1201", "B1-01"
    use: str  # 住宅 / 商业 / 车库 …
    saved: bool  # in the order's apportionment scope
    short: bool  # available balance does not cover the expected share
    area: int = 0  # 0.01 ㎡, for the screen's saved-area total


@dataclass(frozen=True)
class BuildingGrid:
    building_id: int
    name: str
    floors: tuple[int, ...]  # every floor label present in the building, highest first
    units: tuple[tuple[int, int], ...]  # (unit number, room positions per floor in that unit)
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class HouseCardData:
    house_id: int
    room_label: str  # e.g. "1号楼 2单元 1201"
    use: str
    area: int  # 0.01 ㎡
    owner_name: str
    balance_fen: int
    frozen_fen: int
    available_fen: int
    saved: bool
