"""新建任务单, driven in one place: 选择小区 → 选择自然幢 (the form) ⇄ 选择房屋 (a house grid)
→ 任务单确认 → 业务办理完成.

This is the only module that imports the step screens. Each step reports with a typed result from
screens.task_orders.steps; the flow decides what comes next, and returns to its origin (the order
home) with `Screen.pop_until_active` when a draft is discarded or submitted.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from screens.task_orders import steps
from screens.task_orders.community_select import CommunitySelectScreen
from screens.task_orders.confirm import TaskOrderConfirmScreen
from screens.task_orders.done import TaskOrderDoneScreen
from screens.task_orders.form import TaskOrderFormScreen
from screens.task_orders.house_grid import HouseGridScreen


class TaskOrderFlow:
    def __init__(self, origin: Screen, on_home: Callable[[], object]) -> None:
        self.origin = origin
        self.app = origin.app
        self.on_home = on_home
        self.order_id: int | None = None

    def new_order(self) -> None:
        self._push(CommunitySelectScreen(self.forward))

    def open_draft(self, order_id: int) -> None:
        """A draft opens where the clerk left it: the form, then the grid or the confirmation."""
        self.order_id = order_id
        self._push(TaskOrderFormScreen(order_id, self.forward, resume=True))

    def forward(self, result: steps.Forward) -> None:
        match result:
            case steps.Started(order_id):
                self.open_draft(order_id)
            case steps.OpenGrid(building_id, name):
                self._push(HouseGridScreen(self.order_id, building_id, name))
            case steps.Confirm(confirmation, building_ids):
                self._push(TaskOrderConfirmScreen(confirmation, building_ids))

    def _left(self, result: steps.Leave | None) -> None:
        match result:
            case steps.Discarded():
                self.origin.pop_until_active()
            case steps.Submitted(submitted):
                self.origin.pop_until_active()
                # After the pops above, which Textual runs as one later callback.
                self.app.call_later(self._push, TaskOrderDoneScreen(submitted))
            case steps.Home():
                self.on_home()
            # Back, Again, or None (a step closed by pop_until_active): the screen beneath carries on.

    def _push(self, screen: Screen) -> None:
        self.app.push_screen(screen, self._left)
