"""商品房维修支取申请 (BJ-08, BJ-19, BJ-20, BJ-21): the organisation's orders in two tabs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from screens.common.deliver import start_print
from screens.common.dialogs import ConfirmDialog, NoticeDialog
from screens.task_orders.consent import ConsentScreen
from screens.task_orders.drafts import DraftsDialog
from screens.task_orders.flow import TaskOrderFlow
from screens.task_orders.lines import LinesDialog
from screens.transfer.export import Exportable
from services.task_orders import drafts
from services.task_orders import queries
from services.task_orders import submit as task_order_submit
from services.core.money import format_fen
from tui import calls
from tui.screens_base import LeanScreen
from tui.table import Table, time_cell
from tui.widgets import LeanFooter, PlainStatic

TAB_TITLES = {"applied": "已申请任务单信息", "returned": "审批退回及撤销任务单信息"}
# (title, width): at 80 columns the free text (小区, 项目名称, 原因) is cut with …, the rest shown whole; the
# returned tab leaves the amount to 查看 for the room 已撤销（管理部） and the reason take.
COLUMNS = (("选", None), ("申请编号", None), ("小区", 8), ("项目名称", 12), ("金额(元)", None), ("户数", None),
           ("状态", None), ("提交时间", None))
RETURNED_COLUMNS = (("选", None), ("申请编号", None), ("小区", 8), ("项目名称", 8), ("状态", None), ("原因", 10),
                    ("时间", None))


class TaskOrderHomeScreen(Exportable, LeanScreen[None]):
    DEFAULT_CSS = """
    TaskOrderHomeScreen #tabs { height: 1; padding: 0 1; }
    TaskOrderHomeScreen .tab { width: auto; padding: 0 2; color: $text-muted; }
    TaskOrderHomeScreen .tab.-active { color: $text; text-style: bold reverse; }
    TaskOrderHomeScreen DataTable { height: 1fr; scrollbar-size-vertical: 1; }
    TaskOrderHomeScreen #home-message { height: 1; }
    """
    BINDINGS = [
        Binding("f2", "new_order", "新建任务单", id="task_orders.new_order"),
        Binding("f3", "view", "查看", id="task_orders.view"),
        Binding("f4", "lines", "到户支取详细信息", id="task_orders.lines"),
        Binding("space", "mark", "选中", show=False, id="task_orders.mark"),
        Binding("f8", "withdraw", "撤销选中任务单", id="task_orders.withdraw"),
        Binding("f7", "print('task-order')", "打印任务单", id="task_orders.print_task_order"),
        Binding("f9", "print('sign-sheet')", "打印到户明细业主签字表", id="task_orders.print_sign_sheet"),
        Binding("f10", "print('arrears')", "打印欠款催缴通知单", id="task_orders.print_arrears"),
        Binding("f5", "drafts", "草稿", id="task_orders.drafts"),
        Binding("f6", "switch_tab", "切换标签页", id="task_orders.switch_tab"),
        Binding("m", "modify", "修改", id="task_orders.modify"),  # every function key is taken on this screen
        Binding("c", "consent", "业主表决", id="task_orders.consent"),
        Binding("escape", "app.pop_screen", "返回", id="task_orders.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tab = "applied"
        self.rows: dict[str, queries.OrderRow] = {}
        self.marked: set[int] = set()
        self._first_show = True

    def compose(self) -> ComposeResult:
        yield Static("商品房维修支取申请", classes="title", markup=False)
        with Horizontal(id="tabs"):
            for key, title in TAB_TITLES.items():
                yield Static(title, id=f"tab-{key}", classes="tab -active" if key == self.tab else "tab",
                             markup=False)
        yield Table(id="orders", cursor_type="row", zebra_stripes=False, compact=True)
        yield PlainStatic("", id="home-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.flow = TaskOrderFlow(self, on_home=self.dismiss)
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:  # also the first time the screen is shown
        self.reload(offer_drafts=self._first_show)
        self._first_show = False

    # -- loading -----------------------------------------------------------------------------
    def reload(self, *, offer_drafts: bool = False) -> None:
        self._load(self.tab, offer_drafts)

    def _load(self, tab: str, offer_drafts: bool) -> None:
        def load(db, actor):
            return tab, queries.list_orders(db, actor, tab), drafts.open_drafts(db, actor) if offer_drafts else []

        calls.run(self, load, done=self._show, failed=lambda error: self.say(error.message), group="load")

    def _show(self, loaded: tuple[str, list[queries.OrderRow], list]) -> None:
        tab, rows, waiting = loaded
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for title, width in COLUMNS if tab == "applied" else RETURNED_COLUMNS:
            table.add_column(title, width=width)
        self.rows = {}
        self.marked &= {r.order_id for r in rows}
        for r in rows:
            mark = "✓" if r.order_id in self.marked else ""
            if tab == "applied":
                cells = (mark, r.application_no, r.community, r.project_name, format_fen(r.amount), r.households,
                         r.status_label, time_cell(r.submitted_at))
            else:
                cells = (mark, r.application_no, r.community, r.project_name, r.status_label, r.reason,
                         time_cell(r.decided_at))
            table.add_row(*cells, key=str(r.order_id))
            self.rows[str(r.order_id)] = r
        self.say("" if rows else "暂无任务单。按 F2 新建任务单。")
        if waiting:
            self.app.push_screen(DraftsDialog(waiting), self._resume_draft)

    def say(self, message: str) -> None:
        self.query_one("#home-message", PlainStatic).set_text(message)

    def _current(self) -> queries.OrderRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0:
            self.say("请先选择一张任务单")
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.rows[key]

    # -- actions -----------------------------------------------------------------------------
    def action_switch_tab(self) -> None:
        self.query_one(f"#tab-{self.tab}").remove_class("-active")
        self.tab = "returned" if self.tab == "applied" else "applied"
        self.query_one(f"#tab-{self.tab}").add_class("-active")
        self.marked.clear()
        self.refresh_bindings()
        self.reload()

    def action_new_order(self) -> None:
        self.flow.new_order()

    def action_drafts(self) -> None:
        self._load(self.tab, True)

    def _resume_draft(self, order_id: int | None) -> None:
        if order_id is not None:
            self.flow.open_draft(order_id)

    def action_modify(self) -> None:
        """【修改】 (BJ-21): a returned or cancelled order reopens as a new draft, prefilled from it."""
        row = self._current()
        if row is not None:
            self._modify(row.order_id)

    def _modify(self, order_id: int) -> None:
        from services.task_orders.revision import start_revision

        calls.run(self, start_revision, order_id, done=self._resume_draft, group="modify")

    def show_error(self, error) -> None:
        self.say(error.message)

    def action_mark(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.status != "submitted":
            self.say("只能选中待审核的任务单")
            return
        self.marked ^= {row.order_id}
        table = self.query_one(DataTable)
        table.update_cell_at((table.cursor_row, 0), "✓" if row.order_id in self.marked else "")
        self.say(f"已选中 {len(self.marked)} 张任务单")

    def action_withdraw(self) -> None:
        if not self.marked:
            self.say("请先用空格键选中待审核的任务单")
            return
        numbers = "、".join(r.application_no for r in self.rows.values() if r.order_id in self.marked)
        self.app.push_screen(ConfirmDialog(f"确定撤销以下任务单吗？\n{numbers}\n撤销后冻结的资金将解冻。"),
                             self._withdraw_confirmed)

    def _withdraw_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._withdraw(sorted(self.marked))

    def _withdraw(self, order_ids: list[int]) -> None:
        calls.run(self, task_order_submit.withdraw, order_ids, done=self._withdrawn, group="withdraw")

    def _withdrawn(self, numbers: list[str]) -> None:
        self.marked.clear()
        self.reload()
        self.app.notify(f"已撤销 {len(numbers)} 张任务单")

    APPLIED_ONLY = frozenset({"mark", "withdraw", "print", "consent"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each tab shows only the keys that work there."""
        if action in self.APPLIED_ONLY:
            return self.tab == "applied"
        if action == "modify":
            return self.tab == "returned"
        return True

    def action_consent(self) -> None:
        """业主表决 (BY-03): record the owners' signed choices for an order awaiting review."""
        row = self._current()
        if row is not None:  # the consent service says whether this order takes votes
            self.app.push_screen(ConsentScreen(row.order_id))

    def action_print(self, doc_type: str) -> None:
        row = self._current()
        if row is not None:
            start_print(self, doc_type, row.order_id)

    def action_view(self) -> None:
        row = self._current()
        if row is not None:
            self._view(row.order_id)

    def _view(self, order_id: int) -> None:
        calls.run(self, queries.order_detail, order_id, group="view",
                  done=lambda detail: self.app.push_screen(NoticeDialog("任务单信息", describe(detail))))

    def action_lines(self) -> None:
        row = self._current()
        if row is not None:
            self._lines(row)

    def _lines(self, row: queries.OrderRow) -> None:
        calls.run(self, queries.order_lines, row.order_id, group="view",
                  done=lambda lines: self.app.push_screen(LinesDialog(row, lines)))


def describe(detail: queries.OrderDetail) -> str:
    """The order as the 查看 popup shows it."""
    from services.task_orders.form import FIELDS, display_values

    row, values = detail.row, detail.values
    lines = [f"申请编号：{row.application_no}　　状态：{row.status_label}", f"小区：{row.community}"]
    values = display_values(values)
    lines += [f"{spec.label}：{values[spec.key]}" for spec in FIELDS if values[spec.key]]
    lines += [f"提交时间：{row.submitted_at}",
              f"分摊合计：{format_fen(detail.total_share)} 元　本次扣划：{format_fen(detail.total_deducted)} 元",
              f"欠款户数：{detail.arrears_count}　欠款合计（业主自筹）：{format_fen(detail.total_arrears)} 元"]
    if row.reason:
        lines.append(f"退回/撤销原因：{row.reason}　时间：{row.decided_at}")
    if detail.replaces_application_no:
        lines.append(f"修改自任务单：{detail.replaces_application_no}")
    return "\n".join(lines)


