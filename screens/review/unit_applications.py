"""单位注册审核: the department's queue of 物业单位注册申请 with their working-day deadlines, one application's
details, 审核通过 (the key's certificate number and initial password shown once) and 审批退回 with a reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.common.dialogs import ConfirmDialog, NoticeDialog
from screens.common.reason import ReasonDialog
from screens.review.queue import QueueScreen
from services.review import unit_applications as review
from tui import calls
from tui.screens_base import LeanScreen
from tui.table import time_cell
from tui.text import safe
from tui.widgets import LeanFooter, PlainStatic

COLUMNS = (("申请编号", None), ("审核期限", None), ("单位名称", 12), ("社会诚信代码", None), ("申请人", 6),
           ("提交时间", None))


class UnitReviewQueueScreen(QueueScreen):
    HEADING = "单位注册审核 — 待审核物业单位注册申请"
    HINT = f"期限为提交后 {review.REVIEW_DAYS} 个工作日，节假日顺延"
    COLUMNS = COLUMNS
    BINDINGS = [
        Binding("enter", "open", "审核", priority=True, id="review.unit_open"),
        Binding("f5", "reload", "刷新", id="review.unit_reload"),
        Binding("escape", "app.pop_screen", "返回", id="review.unit_back"),
    ]

    def action_reload(self) -> None:
        calls.run(self, review.queue, done=self._show)

    def _show(self, rows: list[review.QueueRow]) -> None:
        self.show_rows(((r.application_no, r.deadline, safe(r.name), r.credit_code, safe(r.applicant), time_cell(r.submitted_at))
                        for r in rows), [r.application_id for r in rows], "暂无待审核的物业单位注册申请")

    def review_screen(self, item_id: int) -> "UnitReviewScreen":
        return UnitReviewScreen(item_id)


class UnitReviewScreen(LeanScreen[None]):
    DEFAULT_CSS = "UnitReviewScreen #detail { height: 1fr; padding: 0 2; }"
    BINDINGS = [
        Binding("f2", "approve", "审核通过", id="review.unit_approve"),
        Binding("f3", "refuse", "审批退回", id="review.unit_return"),
        Binding("escape", "app.pop_screen", "返回", id="review.unit_detail_back"),
    ]

    def __init__(self, application_id: int) -> None:
        super().__init__()
        self.application_id = application_id
        self.detail: review.Detail | None = None

    def compose(self) -> ComposeResult:
        yield Static("物业单位注册申请审核", classes="title", markup=False)
        yield PlainStatic("正在读取…", id="detail")
        yield PlainStatic("", id="form-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        calls.run(self, review.detail, self.application_id, done=self._show)

    def show_error(self, error) -> None:
        self.query_one("#form-message", PlainStatic).set_text(error.message)

    def _show(self, detail: review.Detail) -> None:
        self.detail = detail
        lines = [f"申请编号：{detail.application_no}　状态：{detail.status_label}　期限：{detail.deadline}",
                 f"申请人：{detail.applicant}　手机：{detail.applicant_mobile}", ""]
        lines += [f"{label}：{value}" for label, value in detail.fields]
        lines += ["", "核对纸质材料后：F2 审核通过（发放密钥），F3 审批退回（须填原因）"]
        self.query_one("#detail", PlainStatic).set_text("\n".join(lines))

    def action_approve(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                calls.run(self, review.approve, self.application_id, done=self._approved)

        self.app.push_screen(ConfirmDialog("确认审核通过？通过后该单位成为认证物业服务企业，并发放密钥。"), answered)

    def _approved(self, key: review.IssuedKey) -> None:
        self.app.deliver_outbox()
        body = (f"{key.organisation_name} 已注册为认证物业服务企业，申请人为单位管理员。\n\n"
                f"密钥证书编号：{key.cert_no}\n初始密码：{key.initial_password}\n\n"
                "初始密码只显示这一次，请当面交给申请人；首次登录须修改密码。")
        self.app.push_screen(NoticeDialog("审核通过 — 发放密钥", body), lambda _: self.app.pop_screen())

    def action_refuse(self) -> None:
        def reason_given(reason: str | None) -> None:
            if reason:
                calls.run(self, review.return_application, self.application_id, reason, done=self._returned)

        self.app.push_screen(ReasonDialog("审批退回的原因（将通知申请人）："), reason_given)

    def _returned(self, application_no: str) -> None:
        self.app.deliver_outbox()
        self.app.notify(f"已退回申请 {application_no}，原因已通知申请人")
        self.app.pop_screen()
