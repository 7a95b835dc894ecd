"""任务单确认 (BJ-16): the form read-only, the totals and 维修支取分摊明细, then 【提交】."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.common.dialogs import ConfirmDialog
from screens.task_orders import steps
from screens.task_orders.lines import LINE_COLUMNS, line_cells, totals_text
from services.task_orders import drafts
from services.task_orders.form import display_values
from services.task_orders import submit as task_order_submit
from services.core.money import format_area, format_fen
from tui import calls
from tui.screens_base import LeanScreen
from tui.text import safe
from tui.lines_view import LinesView
from tui.widgets import LeanFooter, PlainStatic


def summary_text(c: task_order_submit.Confirmation) -> str:
    v = display_values(c.values)
    return "\n".join((
        f"项目名称：{v['project_name']}　维修类别：{v['repair_category']}　应急：{v['emergency'] or '否'}",
        f"维修部位：{v['repair_part']}　维修内容：{v['repair_content']}",
        f"预算 {v['budget']} 元　申请支取 {format_fen(c.amount)} 元　{v['method']}　分摊标准 {v['rate']} 元/㎡",
        f"联系人：{v['contact_name']} {v['contact_phone']}　施工单位：{v['contractor']}　"
        f"计划 {v['plan_start']}～{v['plan_end']}",
        f"分摊 {c.households} 户 {format_area(c.area)} ㎡　本次扣划 {format_fen(c.total_deducted)} 元　"
        f"欠款 {c.arrears_count} 户，业主自筹 {format_fen(c.total_arrears)} 元",
    ))


class TaskOrderConfirmScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    TaskOrderConfirmScreen #summary { height: auto; padding: 0 1; }
    TaskOrderConfirmScreen #lines-title { height: 1; padding: 0 1; text-style: bold; }
    TaskOrderConfirmScreen LinesView { height: 1fr; }
    TaskOrderConfirmScreen #totals { height: auto; padding: 0 1; }
    TaskOrderConfirmScreen #confirm-message { height: auto; }
    """
    BINDINGS = [
        Binding("f9", "submit", "提交", id="task_order_confirm.submit"),
        Binding("f7,escape", "back", "上一步", id="task_order_confirm.back"),
        Binding("f8", "discard", "撤销新建任务单", id="task_order_confirm.discard"),
    ]

    def __init__(self, confirmation: task_order_submit.Confirmation, building_ids: list[int]) -> None:
        super().__init__()
        self.confirmation = confirmation
        self.building_ids = building_ids
        self.submitting = False

    def compose(self) -> ComposeResult:
        yield Static("任务单确认", classes="title", markup=False)
        yield Static(safe(summary_text(self.confirmation)), id="summary")
        yield Static("维修支取分摊明细", id="lines-title", markup=False)
        yield LinesView(LINE_COLUMNS, self.confirmation.lines, line_cells)  # only visible lines are drawn
        yield Static(totals_text(self.confirmation.lines), id="totals", markup=False)
        yield PlainStatic("", id="confirm-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(LinesView).focus()
        self._step("confirm")

    def _step(self, step: str) -> None:
        # Only the reopening position: the submit or the back key reports real problems.
        calls.run(self, drafts.set_step, self.confirmation.order_id, step, failed=lambda _: None, group="step",
                  exclusive=False)

    def say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#confirm-message", PlainStatic).set_text(message)

    def action_submit(self) -> None:
        if self.submitting:  # a second press while the first is under way does nothing
            return
        self.submitting = True
        self.say("正在提交…")
        self._submit()

    def _submit(self) -> None:
        calls.run(self, task_order_submit.submit, self.confirmation.order_id, self.building_ids,
                  expected_version=self.confirmation.version, done=lambda result: self.dismiss(steps.Submitted(result)), failed=self._failed, group="submit")

    def _failed(self, error) -> None:
        self.submitting = False
        # e.g. the database is read-only: the draft is kept, and the clerk is told so
        self.say(error.message if not isinstance(error, calls.UnexpectedError)
                 else f"提交失败，任务单仍为草稿：{error.message}")

    def action_back(self) -> None:
        self._step("buildings")
        self.dismiss(steps.Back())

    def action_discard(self) -> None:
        self.app.push_screen(ConfirmDialog("确定撤销新建任务单吗？已填写的内容和已保存的房屋将不再保留。"),
                             self._discard_confirmed)

    def _discard_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._discard()

    def _discard(self) -> None:
        calls.run(self, drafts.discard, self.confirmation.order_id, group="submit",
                  done=lambda _: self.dismiss(steps.Discarded()), failed=lambda error: self.say(error.message))
