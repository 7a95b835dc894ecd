"""新建任务单-选择房屋 (BJ-12, BJ-13, BJ-14): the house grid of one building and the house card."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from screens.common.dialogs import ConfirmDialog
from screens.common.ledger import LedgerScreen
from screens.task_orders import steps
from services.task_orders import drafts
from services.estate.grid_model import BuildingGrid
from services.core.money import format_area
from tui import calls
from tui.house_card import HouseCard
from tui.house_grid import HouseGrid
from tui.screens_base import LeanScreen
from tui.text import safe
from tui.widgets import LeanFooter, PlainStatic


class HouseGridScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    HouseGridScreen #grid-bar { height: 1; padding: 0 1; background: $boost; }
    HouseGridScreen #grid-status { width: auto; }
    HouseGridScreen #tick-count { width: auto; padding-left: 2; }
    HouseGridScreen #grid-message { height: 1; }
    HouseGridScreen #grid-loading { height: 1fr; padding: 1 2; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f2", "save", "批量保存房屋", id="house_grid.save"),
        Binding("f3", "remove", "批量取消", id="house_grid.remove"),
        Binding("f4", "ledger", "分户账", id="house_grid.ledger"),
        Binding("f7,escape", "back", "上一步", id="house_grid.back"),
        Binding("f8", "discard", "撤销任务单", id="house_grid.discard"),
    ]

    def __init__(self, order_id: int, building_id: int, building_name: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.building_id = building_id
        self.building_name = building_name
        self.areas: dict[int, int] = {}
        self.saved: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Static(safe(f"新建任务单-选择房屋　{self.building_name}"), classes="title")
        yield Static("正在读取房屋…", id="grid-loading", markup=False)
        with Horizontal(id="grid-bar"):
            yield PlainStatic("", id="grid-status")
            # Its own narrow widget: a tick repaints these few cells, not the whole bar.
            yield PlainStatic("", id="tick-count")
        yield PlainStatic("", id="grid-message", classes="message")
        yield HouseCard(id="card")
        yield LeanFooter()

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        def load(db, actor):
            drafts.set_step(db, actor, self.order_id, "grid", self.building_id)
            return drafts.building_grid(db, actor, self.order_id, self.building_id)

        calls.run(self, load, done=self._show, group="load")

    def show_error(self, error) -> None:
        self.say(error.message)

    def _show(self, data: BuildingGrid) -> None:
        self.areas = {c.house_id: c.area for c in data.cells}
        self.saved = {c.house_id for c in data.cells if c.saved}
        grid = HouseGrid(data, id="grid")
        self.mount(grid, after="#grid-loading")
        self.query_one("#grid-loading").remove()
        grid.focus()
        self._status(0)

    def say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#grid-message", PlainStatic).set_text(message)

    def _status(self, ticked: int) -> None:
        area = sum(self.areas[h] for h in self.saved)
        self.query_one("#grid-status", PlainStatic).set_text(
            f"本幢{len(self.areas)}户 已保存{len(self.saved)}户 {format_area(area)}㎡"
            f"（{'下划线' if self.app.no_color else '黄'}=已保存 !=余额不足）")
        self._ticks_shown(ticked)

    def _ticks_shown(self, ticked: int) -> None:
        self.query_one("#tick-count", PlainStatic).set_text(f"已勾选 {ticked} 户")

    @on(HouseGrid.TicksChanged)
    def _ticks(self, event: HouseGrid.TicksChanged) -> None:
        self._ticks_shown(event.count)

    # -- batch keys --------------------------------------------------------------------------
    def _grid(self) -> HouseGrid | None:
        grids = self.query(HouseGrid)
        return grids.first() if grids else None

    def action_save(self) -> None:
        grid = self._grid()
        if grid is not None:
            self._batch(sorted(grid.ticked), True)

    def action_remove(self) -> None:
        grid = self._grid()
        if grid is not None:
            self._batch(sorted(grid.ticked), False)

    def _batch(self, house_ids: list[int], save: bool) -> None:
        def change(db, actor):
            count = (drafts.save_houses if save else drafts.remove_houses)(db, actor, self.order_id, house_ids)
            return count, drafts.building_grid(db, actor, self.order_id, self.building_id)

        calls.run(self, change, done=lambda changed: self._batched(house_ids, save, *changed), group="batch")

    def _batched(self, house_ids: list[int], save: bool, count: int, fresh: BuildingGrid) -> None:
        grid = self._grid()
        grid.set_saved(house_ids, save)
        grid.clear_ticks()
        grid.update_short({c.house_id for c in fresh.cells if c.short})
        self.saved = {c.house_id for c in fresh.cells if c.saved}
        self._status(0)
        self.say(f"已保存 {count} 户" if save else f"已取消 {count} 户")

    # -- the house card ----------------------------------------------------------------------
    @on(HouseGrid.HouseSelected)
    def _open_card(self, event: HouseGrid.HouseSelected) -> None:
        self._card(event.house_id)

    def _card(self, house_id: int) -> None:
        calls.run(self, drafts.house_card, self.order_id, house_id, done=lambda data: self.query_one(HouseCard).show(data),
                  group="card")

    @on(HouseCard.SaveRequested)
    def _card_save(self, event: HouseCard.SaveRequested) -> None:
        self._card_change(event.house_id, True)

    @on(HouseCard.RemoveRequested)
    def _card_remove(self, event: HouseCard.RemoveRequested) -> None:
        self._card_change(event.house_id, False)

    def _card_change(self, house_id: int, save: bool) -> None:
        def change(db, actor):
            (drafts.save_houses if save else drafts.remove_houses)(db, actor, self.order_id, [house_id])
            return drafts.house_card(db, actor, self.order_id, house_id)

        calls.run(self, change, done=lambda data: self._card_changed(house_id, save, data), group="card")

    def _card_changed(self, house_id: int, save: bool, data) -> None:
        self._grid().set_saved([house_id], save)
        self.saved = self.saved | {house_id} if save else self.saved - {house_id}
        self.query_one(HouseCard).show(data)
        self._status(len(self._grid().ticked))
        self.say("已保存房屋" if save else "已取消保存")

    def action_ledger(self) -> None:
        """The fund account of the house on the card, or else under the grid's cursor."""
        card = self.query_one(HouseCard)
        grid = self._grid()
        house_id = card.data.house_id if card.is_open else grid.current_house_id if grid else None
        if house_id is not None:
            self.app.push_screen(LedgerScreen(house_id))

    # -- leaving -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self._leave()

    def _leave(self) -> None:
        calls.run(self, drafts.set_step, self.order_id, "buildings", done=lambda _: self.dismiss(steps.Back()),
                  group="leave")

    def action_discard(self) -> None:
        self.app.push_screen(ConfirmDialog("确定撤销本任务单吗？已填写的内容和已保存的房屋将不再保留。"),
                             self._discard_confirmed)

    def _discard_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._discard()

    def _discard(self) -> None:
        calls.run(self, drafts.discard, self.order_id, done=lambda _: self.dismiss(steps.Discarded()), group="leave")
