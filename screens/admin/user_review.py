"""用户审核 (SH-06): the real-name authentication requests of the enterprise's subordinates, with
通过 and 驳回 (a reason required)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from screens.common.dialogs import ConfirmDialog, NoticeDialog
from screens.common.reason import ReasonDialog
from services.admin import realname
from tui import calls
from tui.row_list import RowList
from tui.screens_base import LeanScreen
from tui.widgets import LeanFooter, PlainStatic

COLUMNS = (("序号", 5), ("操作员ID", 8), ("姓名", 10), ("证件号码", 19), ("手机号", 12), ("部门名称", None))


class UserReviewScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    UserReviewScreen #message { height: 1; }
    UserReviewScreen #count { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f2", "approve", "通过", id="admin.review_approve"),
        Binding("f3", "reject", "驳回", id="admin.review_reject"),
        Binding("f5", "reload", "刷新", id="admin.review_reload"),
        Binding("escape", "app.pop_screen", "返回", id="admin.review_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, realname.PendingRow] = {}

    def compose(self) -> ComposeResult:
        yield PlainStatic(f"用户审核　{self.app.actor.organisation_name}", classes="title")
        yield PlainStatic("下属人员提交的实名认证申请（Enter 查看）", id="message")
        yield RowList(COLUMNS, id="requests")
        yield PlainStatic("", id="count")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(RowList).focus()
        self.action_reload()

    def action_reload(self) -> None:
        calls.run(self, realname.pending_requests, done=self._show, group="load")

    def _show(self, rows: list[realname.PendingRow]) -> None:
        self.rows = {r.request_id: r for r in rows}
        self.query_one(RowList).set_rows(
            [(str(i + 1), r.operator_id, r.real_name, r.id_no_masked, r.mobile_masked, r.department)
             for i, r in enumerate(rows)], [r.request_id for r in rows])
        self.query_one("#count", PlainStatic).set_text(f"待审核 {len(rows)} 条")

    def say(self, message: str) -> None:
        self.query_one("#message", PlainStatic).set_text(message)

    def _current(self) -> realname.PendingRow | None:
        key = self.query_one(RowList).current_key
        if key is None:
            self.say("没有待审核的申请")
            return None
        return self.rows[key]

    @on(RowList.Selected)
    def _selected(self, event: RowList.Selected) -> None:
        event.stop()
        if (row := self._current()) is not None:
            self.app.push_screen(NoticeDialog("实名认证申请", "\n".join((
                f"操作员ID：{row.operator_id}", f"姓名：{row.real_name}", f"证件类型：{row.id_type}",
                f"证件号码：{row.id_no_masked}", f"手机号码：{row.mobile_masked}", f"部门名称：{row.department}",
                f"提交时间：{row.submitted_at}"))))

    def action_approve(self) -> None:
        if (row := self._current()) is None:
            return
        self.app.push_screen(ConfirmDialog(f"确定审核通过 {row.real_name} 的实名认证申请吗？"),
                             lambda yes: self._decide(row, True, "") if yes else None)

    def action_reject(self) -> None:
        if (row := self._current()) is None:
            return
        self.app.push_screen(ReasonDialog(f"驳回 {row.real_name} 的实名认证申请，请填写驳回原因：",
                                          clean=realname.clean_reason, max_length=realname.REASON_MAX),
                             lambda reason: self._decide(row, False, reason) if reason else None)

    def _decide(self, row: realname.PendingRow, approve: bool, reason: str) -> None:
        def decided(_result) -> None:
            self.app.notify(f"已{'审核通过' if approve else '驳回'}：{row.real_name}", markup=False)
            self.action_reload()

        calls.run(self, realname.decide, row.request_id, row.version, approve, reason, done=decided,
                  failed=lambda error: (self.say(error.message), self.action_reload()))
