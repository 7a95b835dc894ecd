"""One task order's 任务单信息 popup, opened from outside the order list (业务流水查询's Enter)."""

from __future__ import annotations

from textual.widgets import Static

from screens.common.dialogs import NoticeDialog
from screens.task_orders.home import describe
from services.task_orders import queries
from tui import calls
from tui.text import safe


class OrderInfoDialog(NoticeDialog):
    def __init__(self, order_id: int) -> None:
        super().__init__("任务单信息", "正在读取任务单 …")
        self.order_id = order_id

    def on_mount(self) -> None:
        calls.run(self, queries.order_detail, self.order_id, done=lambda d: self._body(describe(d)),
                  failed=lambda e: self._body(e.message))

    def _body(self, text: str) -> None:
        self.query_one("VerticalScroll > Static", Static).update(safe(text))
