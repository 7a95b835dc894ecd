"""业务办理完成 (BJ-17): what was submitted, and where to go next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from screens.common.deliver import start_print
from screens.task_orders import steps
from services.task_orders import submit as task_order_submit
from services.core.money import format_fen
from tui.screens_base import LeanScreen
from tui.widgets import LeanFooter


class TaskOrderDoneScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    TaskOrderDoneScreen > Vertical { height: auto; padding: 2 4; }
    TaskOrderDoneScreen #done-facts { padding: 1 0; }
    """
    BINDINGS = [
        Binding("f2", "again", "再来一笔", id="task_order_done.again"),
        Binding("f3", "print('task-order')", "打印任务单", id="task_order_done.print_task_order"),
        Binding("f4", "print('sign-sheet')", "打印业主签字表", id="task_order_done.print_sign_sheet"),
        Binding("f5", "print('arrears')", "打印欠款催缴通知单", id="task_order_done.print_arrears"),
        Binding("f10,escape", "home", "返回首页", id="task_order_done.home"),
    ]

    def __init__(self, result: task_order_submit.SubmitResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        r = self.result
        arrears = f"其中余额不足 {r.arrears_count} 户，业主自筹 {format_fen(r.total_arrears)} 元" if r.arrears_count \
            else "各户余额均足额"
        yield Static("业务办理完成", classes="title", markup=False)
        with Vertical():
            yield Static("维修支取任务单已提交管理部审核。", markup=False)
            yield Static(f"申请编号：{r.application_no}\n申请支取金额：{format_fen(r.amount)} 元\n"
                         f"分摊户数：{r.households} 户\n{arrears}", id="done-facts", markup=False)
            yield Static("请记录申请编号，打印任务单（F3）及业主签字确认表（F4），"
                         + ("并向欠款业主发放欠款催缴通知单（F5），" if r.arrears_count else "")
                         + "携带到管理部办理。", markup=False)
        yield LeanFooter()

    def action_print(self, doc_type: str) -> None:
        start_print(self, doc_type, self.result.order_id)

    def action_again(self) -> None:
        self.dismiss(steps.Again())  # back to the task order home, as the manual's 【再来一笔】 does

    def action_home(self) -> None:
        self.dismiss(steps.Home())
