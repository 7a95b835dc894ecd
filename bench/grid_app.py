"""The house grid as the bench measures it: a 100-floor building of 3 units × 4 rooms (1,200 houses)
on a lean screen with a title, a status line, the footer and the house card. No database.

Run as a script (`python bench/grid_app.py`); ctrl+q quits. With WXZJ_GRID_TIMINGS=FILE it writes
its timings there on exit, as JSON: `open_ms` (the grid built and first painted) and `key_ms`
(per key, the process CPU time from the key's arrival to the end of its last screen update,
null for a key that changed nothing on screen).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

# Textual reads these at import, as the app's own startup sets them.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "256")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events, on  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Static  # noqa: E402

from services.estate.grid_model import BuildingGrid, GridCell, HouseCardData  # noqa: E402
from tui import textual_hooks  # noqa: E402
from tui.house_card import HouseCard  # noqa: E402
from tui.house_grid import HouseGrid  # noqa: E402
from tui.screens_base import LeanScreen  # noqa: E402
from tui.widgets import LeanFooter, PlainStatic  # noqa: E402

textual_hooks.install_partial_updates()  # as the app does

FLOORS, UNITS, ROOMS = 100, 3, 4


def synthetic_building(floors: int = FLOORS, units: int = UNITS, rooms: int = ROOMS) -> BuildingGrid:
    """Floors 1..`floors` with every tenth house saved in scope and every 37th short of money."""
    cells = []
    for unit in range(1, units + 1):
        for floor in range(1, floors + 1):
            for room in range(1, rooms + 1):
                house_id = len(cells) + 1
                cells.append(GridCell(house_id, unit, floor, room, f"{floor}{room:02d}", "住宅",
                                      saved=house_id % 10 == 0, short=house_id % 37 == 0))
    return BuildingGrid(1, "1号楼", tuple(range(floors, 0, -1)), tuple((u, rooms) for u in range(1, units + 1)),
                        tuple(cells))


def card_data(grid: HouseGrid, house_id: int) -> HouseCardData:
    cell = next(cell for cell in grid.building.cells if cell.house_id == house_id)
    return HouseCardData(house_id, f"{grid.building.name} {cell.unit}单元 {cell.room_no}", cell.use,
                         area=8950, owner_name="张三", balance_fen=1_234_567, frozen_fen=0,
                         available_fen=1_234_567, saved=cell.saved)


class GridScreen(LeanScreen):
    # As narrow as its text, so a new count repaints a few cells, not the whole line.
    DEFAULT_CSS = "#status { width: auto; }"

    def __init__(self, building: BuildingGrid) -> None:
        super().__init__()
        self.building = building
        self.opened_at = 0.0

    def compose(self) -> ComposeResult:
        yield Static(f"新建任务单-选择房屋  {self.building.name}", classes="title")
        self.opened_at = time.perf_counter()
        yield HouseGrid(self.building)
        yield PlainStatic("已勾选 0 户", id="status")
        yield HouseCard()
        yield LeanFooter()

    def on_mount(self) -> None:
        self.call_after_refresh(self.app.grid_opened, self.opened_at)

    @on(HouseGrid.TicksChanged)
    def show_ticks(self, event: HouseGrid.TicksChanged) -> None:
        self.query_one("#status", PlainStatic).set_text(f"已勾选 {event.count} 户")

    @on(HouseGrid.HouseSelected)
    def open_card(self, event: HouseGrid.HouseSelected) -> None:
        self.query_one(HouseCard).show(card_data(event.grid, event.house_id))


class GridApp(App[None]):
    CSS_PATH = ROOT / "tui" / "wxzj.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "none"
        self.open_ms: float | None = None
        self.key_ms: list[float | None] = []  # None: the key changed nothing on screen
        self._key: events.Key | None = None
        self._key_at: float | None = None
        self._painted_at: float | None = None

    def on_mount(self) -> None:
        self.push_screen(GridScreen(synthetic_building()))

    def grid_opened(self, started: float) -> None:
        self.open_ms = (time.perf_counter() - started) * 1000

    async def on_event(self, event: events.Event) -> None:
        # A key the screen does not use bubbles back up here: count it once.
        if isinstance(event, events.Key) and event is not self._key:
            self._key = event
            self._close_key()
            self._key_at, self._painted_at = time.process_time(), None
        await super().on_event(event)

    # Bench only: the end of each screen update, through Textual's private display hook.
    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        self._painted_at = time.process_time()

    def _close_key(self) -> None:
        if self._key_at is not None:
            painted = self._painted_at is not None
            self.key_ms.append((self._painted_at - self._key_at) * 1000 if painted else None)
        self._key_at = None

    def timings(self) -> dict[str, object]:
        self._close_key()
        return {"open_ms": self.open_ms, "key_ms": self.key_ms}


if __name__ == "__main__":
    app = GridApp()
    app.run()
    if path := os.environ.get("WXZJ_GRID_TIMINGS"):
        Path(path).write_text(json.dumps(app.timings()), encoding="utf-8")
