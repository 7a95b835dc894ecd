"""物业区域关联审核: the district department's queue of association applications and one application with
its communities and attachments; Enter on an attachment delivers it like a printed document; 审核通过 and
审批退回 (with a reason) are each confirmed."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from screens.common.deliver import deliver_bytes
from screens.common.dialogs import ConfirmDialog
from screens.common.reason import ReasonDialog
from screens.review.queue import QueueScreen
from services.core.attachments import AttachmentStore
from services.core.errors import ServiceError
from services.estate.association import REVIEW_DAYS
from services.review import associations as review
from tui import calls
from tui.screens_base import LeanScreen
from tui.table import Table, time_cell
from tui.text import safe
from tui.widgets import LeanFooter, PlainStatic

QUEUE_COLUMNS = (("申请编号", None), ("审核期限", None), ("物业服务企业", 12), ("小区", 10), ("附件", None),
                 ("提交时间", None))


class AssociationQueueScreen(QueueScreen):
    HEADING = "物业区域关联审核 — 待审核申请"
    COLUMNS = QUEUE_COLUMNS
    BINDINGS = [
        Binding("enter", "open", "审核", priority=True, id="assoc_review.open"),
        Binding("f5", "reload", "刷新", id="assoc_review.reload"),
        Binding("escape", "app.pop_screen", "返回", id="assoc_review.back"),
    ]
    PICK_FIRST = "请先选择一件申请"

    def action_reload(self) -> None:
        calls.run(self, review.queue, done=self._show, failed=lambda e: self.say(e.message), group="load")

    def _show(self, loaded: tuple[list[review.QueueRow], int]) -> None:
        rows, total = loaded
        overdue = sum(1 for r in rows if r.days_left < 0)
        self.query_one("#queue-info", PlainStatic).set_text(
            f"待审核 {total} 件（超期 {overdue} 件），先提交的在前；期限为提交后 {REVIEW_DAYS} 个工作日")
        self.show_rows(((r.application_no, r.deadline, r.enterprise, r.communities,
                         "纸质材料" if r.paper else f"{r.files}个", time_cell(r.submitted_at)) for r in rows),
                       [r.application_id for r in rows], "暂无待审核的物业区域关联申请")

    def review_screen(self, item_id: int) -> "AssociationReviewScreen":
        return AssociationReviewScreen(item_id)


class AssociationReviewScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    AssociationReviewScreen #summary { height: auto; }
    AssociationReviewScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "attachment", "查看附件", priority=True, id="assoc_review.attachment"),
        Binding("f2", "approve", "审核通过", id="assoc_review.approve"),
        Binding("f3", "refuse", "审批退回", id="assoc_review.return"),
        Binding("escape", "app.pop_screen", "返回", id="assoc_review.detail_back"),
    ]

    def __init__(self, application_id: int) -> None:
        super().__init__()
        self.application_id = application_id
        self.detail: review.ApplicationDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static("物业区域关联审核", id="app-title", classes="title", markup=False)
        yield PlainStatic("正在读取申请 …", id="summary", classes="hint")
        table = Table(id="attachments", cursor_type="row", zebra_stripes=False)
        table.add_columns("附件要求", "文件名", "大小")
        yield table
        yield PlainStatic("", id="app-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("approve", "refuse"):
            return self.detail is not None and self.detail.status == "pending"
        return True

    def _load(self) -> None:
        calls.run(self, review.detail, self.application_id, done=self._show, failed=lambda e: self.say(e.message),
                  group="load")

    def _show(self, d: review.ApplicationDetail) -> None:
        self.detail = d
        self.query_one("#app-title", Static).update(safe(f"物业区域关联审核　{d.application_no}"))
        lines = [f"状态：{d.status_label}" + (f"　审核期限：{d.deadline}" if d.deadline else "")
                 + (f"　原因：{d.reason}" if d.reason else ""),
                 f"物业服务企业：{d.enterprise}（{d.credit_code}）　经办人：{d.applicant}　提交：{d.submitted_at[:16]}",
                 "申请关联的小区：" + "；".join(f"{n}（{a}）" for n, a in d.communities)]
        if d.paper:
            lines.append("经办人选择了跳过上传，持实体材料至管理部办理")
        self.query_one("#summary", PlainStatic).set_text("\n".join(lines))
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows((a.kind, a.filename, a.size) for a in d.attachments)
        self.say("" if d.attachments else "本申请没有上传附件")
        self.refresh_bindings()

    def say(self, message: str) -> None:
        self.query_one("#app-message", PlainStatic).set_text(message)

    def action_attachment(self) -> None:
        table = self.query_one(DataTable)
        if self.detail is None or not self.detail.attachments or table.cursor_row < 0:
            self.say("请先选择一个附件")
            return
        attachment = self.detail.attachments[table.cursor_row]
        store = AttachmentStore.under(self.app.config.data_dir)
        app = self.app

        def fetch(db, actor) -> str:
            found = review.open_attachment(db, actor, attachment.attachment_id, store=store)
            return deliver_bytes(app, found.data, found.filename, found.content_type,
                                 f"{found.label}：{attachment.filename}")

        calls.run(self, fetch, done=self.say, group="attachment")

    def action_approve(self) -> None:
        d = self.detail
        if d is None:
            return
        question = (f"确定审核通过物业区域关联申请 {d.application_no} 吗？\n通过后 {d.enterprise} 即可办理以下小区的业务：\n"
                    + "、".join(n for n, _ in d.communities))
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self._decide("approve", None))

    def action_refuse(self) -> None:
        d = self.detail
        if d is None:
            return
        self.app.push_screen(ReasonDialog(f"审批退回物业区域关联申请 {d.application_no}，请填写退回原因："),
                             self._reason_given)

    def _reason_given(self, reason: str | None) -> None:
        if reason is None or self.detail is None:
            return
        question = f"确定审批退回申请 {self.detail.application_no} 吗？\n原因：{reason}"
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self._decide("return", reason))

    def _decide(self, kind: str, reason: str | None) -> None:
        d = self.detail
        if kind == "approve":
            calls.run(self, review.approve, d.application_id, d.version, done=partial(self._decided, "审核通过"),
                      failed=self._failed, group="decide")
        else:
            calls.run(self, review.return_application, d.application_id, d.version, reason,
                      done=partial(self._decided, "审批退回"), failed=self._failed, group="decide")

    def _failed(self, error: ServiceError) -> None:
        self.say(error.message)
        self._load()

    def _decided(self, label: str, number: str) -> None:
        self.app.notify(f"物业区域关联申请 {number} 已{label}", markup=False)
        self.app.pop_screen()
