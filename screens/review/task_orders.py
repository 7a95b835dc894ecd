"""审核业务 (BY-01): the reviewer's queue of task orders, and one order under review with its lines,
the owners' vote, and the keys 审核通过 / 审批退回 / 撤销, each confirmed."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.common.dialogs import ConfirmDialog, ExplicitConfirmDialog, NoticeDialog
from screens.common.ledger import LedgerScreen
from screens.common.reason import ReasonDialog
from screens.review.queue import QueueScreen
from screens.transfer.export import Exportable
from services.review import task_orders as review
from services.transfer.export import ExportTable
from services.core.money import format_area, format_fen
from services.task_orders.form import FIELDS, display_values
from tui import calls
from tui.screens_base import LeanScreen
from tui.text import safe
from tui.lines_view import LinesView
from tui.table import time_cell
from tui.widgets import LeanFooter, PlainStatic

# What a reviewer decides by, fitting 80 columns; the enterprise and the households are on the order's
# screen and in the queue's export.
QUEUE_COLUMNS = (("申请编号", None), ("审核期限", None), ("小区", 8), ("金额(元)", None), ("项目名称", 10),
                 ("提交时间", None))
EXPORT_COLUMNS = ("申请编号", "审核期限", "小区", "金额(元)", "户数", "物业服务企业", "项目名称", "提交时间")
LINE_COLUMNS = (("房屋", "l"), ("业主", "l"), ("表决意见", "l"), ("面积(㎡)", "r"), ("分摊(元)", "r"),
                ("扣划(元)", "r"), ("欠款(元)", "r"))


def review_cells(x) -> tuple:
    return (f"{x.building} {x.unit}单元 {x.room_no}", x.owner, x.choice, format_area(x.area),
            format_fen(x.share), format_fen(x.deducted), format_fen(x.arrears))


def _deadline(row: review.QueueRow) -> str:
    return ("急" if row.emergency else "") + row.deadline


class ReviewQueueScreen(Exportable, QueueScreen):
    EXPORT_TITLE = "待审核维修支取任务单"
    HEADING = "审核业务 — 待审核维修支取任务单"
    COLUMNS = QUEUE_COLUMNS
    BINDINGS = [
        Binding("enter", "open", "审核", priority=True, id="review_queue.open"),  # before the table's own Enter, and in the footer
        Binding("f5", "reload", "刷新", id="review_queue.reload"),
        Binding("escape", "app.pop_screen", "返回", id="review_queue.back"),
    ]
    PICK_FIRST = "请先选择一张任务单"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[review.QueueRow] = []

    def action_reload(self) -> None:
        calls.run(self, review.queue, done=self._show, group="load")

    def _show(self, queue: tuple[list[review.QueueRow], int]) -> None:
        rows, total = queue
        shown = f"（列出最早的 {len(rows)} 张）" if total > len(rows) else ""
        overdue = sum(1 for r in rows if r.days_left < 0)
        self.query_one("#queue-info", PlainStatic).set_text(
            f"待审核 {total} 张{shown}（超期 {overdue} 张），先提交的在前；"
            f"期限为提交后 {review.TASK_ORDER_REVIEW_DAYS} 个工作日，节假日顺延")
        self.rows = rows
        self.show_rows(((r.application_no, _deadline(r), r.community, format_fen(r.amount), r.project_name,
                         time_cell(r.submitted_at)) for r in rows), [r.order_id for r in rows], "暂无待审核的任务单")

    def export_source(self):
        return ExportTable(self.export_title(), EXPORT_COLUMNS, [
            (r.application_no, _deadline(r), r.community, format_fen(r.amount), str(r.households), r.enterprise,
             r.project_name, r.submitted_at[:16]) for r in self.rows])

    def review_screen(self, item_id: int) -> "ReviewOrderScreen":
        return ReviewOrderScreen(item_id)


class ReviewOrderScreen(Exportable, LeanScreen[None]):
    EXPORT_TITLE = "到户支取详细信息"

    def export_source(self):
        return self.query_one(LinesView).export_table(self.export_title())
    DEFAULT_CSS = """
    ReviewOrderScreen #summary { height: auto; }
    ReviewOrderScreen #consent { height: auto; color: $text; }
    ReviewOrderScreen #consent.-failed { color: $warning; }
    ReviewOrderScreen LinesView { height: 1fr; }
    """
    BINDINGS = [
        Binding("f2", "approve", "审核通过", id="review.approve"),
        Binding("f3", "refuse('return')", "审批退回", id="review.return"),
        Binding("f4", "refuse('cancel')", "撤销", id="review.cancel"),
        Binding("f6", "form", "任务单详情", id="review.form"),
        Binding("f7", "ledger", "分户账", id="review.ledger"),
        Binding("escape", "app.pop_screen", "返回", id="review.back"),
    ]

    def __init__(self, order_id: int) -> None:
        super().__init__()
        self.order_id = order_id
        self.detail: review.ReviewDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static("维修支取任务单审核", id="order-title", classes="title", markup=False)
        yield PlainStatic("正在读取任务单 …", id="summary", classes="hint")
        yield PlainStatic("", id="consent")
        yield LinesView(LINE_COLUMNS, (), review_cells, id="lines")  # only visible lines are drawn
        yield PlainStatic("", id="order-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(LinesView).focus()
        self._load()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("approve", "refuse"):
            return self.detail is not None and self.detail.status == "submitted"
        return True

    def _load(self) -> None:
        calls.run(self, review.review_detail, self.order_id, done=self._show, group="load")

    def show_error(self, error) -> None:
        if isinstance(error, review.ConsentNotMet):
            self._ask_override(error.message)
        else:
            self.say(error.message)

    def _show(self, d: review.ReviewDetail) -> None:
        self.detail = d
        self.query_one("#order-title", Static).update(safe(f"维修支取任务单审核　{d.application_no}"))
        v = d.values
        status = f"状态：{d.status_label}" + (f"　审核期限：{d.deadline}" if d.deadline else "")
        if d.reason:
            status += f"　原因：{d.reason}"
        self.query_one("#summary", PlainStatic).set_text("\n".join((
            f"{status}　提交：{d.submitted_at[:16]}",
            f"小区：{d.community}　企业：{d.enterprise}",
            f"项目：{v['project_name']}　{v['repair_category']}　应急维修：{v['emergency']}",
            f"金额 {format_fen(d.total_share)} 元　{d.households} 户　{format_area(d.area)} ㎡　"
            f"扣划 {format_fen(d.total_deducted)} 元　欠款 {d.arrears_count} 户 {format_fen(d.total_arrears)} 元",
        )))
        consent = self.query_one("#consent", PlainStatic)
        consent.set_text("\n".join(d.consent.lines()))
        consent.set_class(not d.consent.passed, "-failed")
        self.query_one(LinesView).set_items(d.lines)
        self.refresh_bindings()

    def say(self, message: str) -> None:
        self.query_one("#order-message", PlainStatic).set_text(message)

    # -- views -------------------------------------------------------------------------------
    def action_form(self) -> None:
        if self.detail is not None:
            d = self.detail
            body = [f"申请编号：{d.application_no}　　状态：{d.status_label}", f"小区：{d.community}",
                    f"物业服务企业：{d.enterprise}"]
            shown = display_values(d.values)
            body += [f"{spec.label}：{shown[spec.key]}" for spec in FIELDS if shown[spec.key]]
            body += [f"提交时间：{d.submitted_at}"]
            if d.decided_at:
                body.append(f"审核时间：{d.decided_at}")
            self.app.push_screen(NoticeDialog("任务单信息", "\n".join(body)))

    def action_ledger(self) -> None:
        table = self.query_one(LinesView)
        if self.detail is None or not self.detail.lines or table.cursor_row < 0:
            self.say("请先选择一户")
            return
        self.app.push_screen(LedgerScreen(self.detail.lines[table.cursor_row].house_id))

    # -- decisions ---------------------------------------------------------------------------
    def action_approve(self) -> None:
        d = self.detail
        if d is None:
            return
        question = (f"确定审核通过任务单 {d.application_no} 吗？\n通过后从 {d.households} 户分户账支取 "
                    f"{format_fen(d.total_deducted)} 元，不可撤回。")
        self.app.push_screen(ConfirmDialog(question), partial(self._approve_confirmed, None))

    def _approve_confirmed(self, reason: str | None, yes: bool | None) -> None:
        if yes:
            self._approve(reason)

    def _approve(self, reason: str | None) -> None:
        calls.run(self, review.approve, self.order_id, override_reason=reason,
                  expected_version=self.detail.version, group="decide",
                  done=lambda number: self._decided(f"任务单 {number} 已审核通过"))

    def _ask_override(self, message: str) -> None:
        # Overriding the owners' vote takes a typed reason and then Y itself: one stray Enter
        # used to approve it.
        question = f"{message}\n\n业主表决未达法定比例。如仍要审核通过，请填写理由（将记入业务流水）："
        self.app.push_screen(ReasonDialog(question), self._override_reason_given)

    def _override_reason_given(self, reason: str | None) -> None:
        if reason is None:
            return
        question = f"业主表决未达法定比例。确定仍要审核通过吗？\n理由：{reason}"
        self.app.push_screen(ExplicitConfirmDialog(question),
                             partial(self._approve_confirmed, reason))

    def action_refuse(self, kind: str) -> None:
        d = self.detail
        if d is None:
            return
        label = "审批退回" if kind == "return" else "撤销"
        self.app.push_screen(ReasonDialog(f"{label}任务单 {d.application_no}，请填写{label}原因："),
                             partial(self._reason_given, kind, label))

    def _reason_given(self, kind: str, label: str, reason: str | None) -> None:
        if reason is None:
            return
        question = f"确定{label}任务单 {self.detail.application_no} 吗？\n原因：{reason}\n冻结的资金将解冻。"
        self.app.push_screen(ConfirmDialog(question), partial(self._refuse_confirmed, kind, reason))

    def _refuse_confirmed(self, kind: str, reason: str, yes: bool | None) -> None:
        if yes:
            self._refuse(kind, reason)

    def _refuse(self, kind: str, reason: str) -> None:
        act, label = (review.return_order, "审批退回") if kind == "return" else (review.cancel_order, "撤销")
        calls.run(self, act, self.order_id, reason, self.detail.version, group="decide",
                  done=lambda number: self._decided(f"任务单 {number} 已{label}"))

    def _decided(self, message: str) -> None:
        self.app.notify(message)
        self.app.pop_screen()
