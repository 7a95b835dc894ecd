"""操作员管理 (SH-07 to SH-10): the operators of the administrator's enterprise and its community offices.

Filters on three lines, the list (keyset pages of services.admin.operators_query.PAGE_SIZE, the total
below it), and keys for 增加 / 查询 / 修改 / 删除 / 重新筛选, and 导出Excel (Ctrl+O) of the whole filtered list; Enter on
a row is 查询. F7 / F9 bind and unbind the operator's SSH key (issue 13, screens/admin/ssh_key.py); Ctrl+R
重置动态口令 (BY-08).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from screens.admin.operator_forms import AddOperatorDialog, ModifyOperatorDialog
from screens.admin.ssh_key import BindSshKeyDialog
from screens.common.dialogs import ConfirmDialog, NoticeDialog
from screens.transfer.export import Exportable
from services.admin import operators as ops
from services.admin import operators_query as q
from services.admin import ssh_keys
from services.core.errors import ServiceError
from tui import calls
from tui.choice import ChoiceField
from tui.row_list import RowList
from tui.screens_base import LeanScreen
from tui.widgets import CompactInput, LeanFooter, PlainStatic

COLUMNS = (("序号", 6), ("操作员ID", 8), ("操作员姓名", 10), ("操作员手机号", 12), ("部门名称", None),
           ("角色", 12), ("状态", 8))
STATUS_CHOICES = {"全部": "", "正常使用": "active", "停用": "disabled"}
CATEGORY_CHOICES = {"全部": "", "物业管理企业": "enterprise", "小区管理处": "office"}
TEXT_FILTERS = ("operator_id", "name", "unit_code", "unit_name")


class OperatorListScreen(Exportable, LeanScreen[None]):
    DEFAULT_CSS = """
    OperatorListScreen .filters { height: 1; }
    OperatorListScreen .filters > .label { width: 13; text-align: right; padding-right: 1; }
    OperatorListScreen .filters > CompactInput { width: 24; }
    OperatorListScreen .filters > ChoiceField { width: 24; }
    OperatorListScreen #message { height: 1; color: $error; }
    OperatorListScreen #page-info { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f2", "add", "增加", id="admin.add"),
        Binding("f3", "detail", "查询", id="admin.detail"),
        Binding("f4", "modify", "修改", id="admin.modify"),
        Binding("f8", "delete", "删除", id="admin.delete"),
        Binding("f7", "bind_key", "绑定密钥", show=False, id="admin.bind_ssh_key"),
        Binding("f9", "unbind_key", "解除密钥", show=False, id="admin.unbind_ssh_key"),
        Binding("f5", "search", "筛选", show=False, id="admin.search"),  # Enter in a filter does it too
        Binding("f6", "reset", "重新筛选", id="admin.reset"),
        Binding("ctrl+r", "reset_otp", "重置动态口令", show=False, id="admin.reset_otp"),
        Binding("pagedown", "page(1)", "下一页", show=False, id="admin.next_page"),
        Binding("pageup", "page(-1)", "上一页", show=False, id="admin.previous_page"),
        Binding("escape", "app.pop_screen", "返回", show=False, id="admin.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.flt = q.OperatorFilter()
        self.page_no = 1
        self.page: q.OperatorPage | None = None
        self.rows: dict[int, q.OperatorRow] = {}

    def compose(self) -> ComposeResult:
        yield PlainStatic(f"操作员管理　{self.app.actor.organisation_name}", classes="title")
        with Horizontal(classes="filters"):
            yield Static("操作员ID", classes="label", markup=False)
            yield CompactInput(id="operator_id", max_length=q.FILTER_LIMITS["operator_id"], placeholder="请输入")
            yield Static("操作员姓名", classes="label", markup=False)
            yield CompactInput(id="name", max_length=q.FILTER_LIMITS["name"], placeholder="请输入")
        with Horizontal(classes="filters"):
            yield Static("操作员状态", classes="label", markup=False)
            yield ChoiceField(tuple(STATUS_CHOICES), "全部", id="status")
            yield Static("操作员类别", classes="label", markup=False)
            yield ChoiceField(tuple(CATEGORY_CHOICES), "全部", id="category")
        with Horizontal(classes="filters"):
            yield Static("所属单位编码", classes="label", markup=False)
            yield CompactInput(id="unit_code", max_length=q.FILTER_LIMITS["unit_code"], placeholder="请输入")
            yield Static("所属单位名称", classes="label", markup=False)
            yield CompactInput(id="unit_name", max_length=q.FILTER_LIMITS["unit_name"], placeholder="请输入")
        yield PlainStatic("", id="message")
        yield RowList(COLUMNS, id="operators")
        yield PlainStatic("", id="page-info")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one(RowList).focus()
        self._load(None, None, 1)

    # -- filters and pages -------------------------------------------------------------------
    def _filter(self) -> q.OperatorFilter:
        values = {f: self.query_one(f"#{f}", Input).value for f in TEXT_FILTERS}
        return q.OperatorFilter(status=STATUS_CHOICES[self.query_one("#status", ChoiceField).value],
                                category=CATEGORY_CHOICES[self.query_one("#category", ChoiceField).value],
                                **values)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def action_search(self) -> None:
        self.flt = self._filter()
        self._load(None, None, 1)

    def action_reset(self) -> None:
        for field in TEXT_FILTERS:
            self.query_one(f"#{field}", Input).value = ""
        self.query_one("#status", ChoiceField).set_value("全部")
        self.query_one("#category", ChoiceField).set_value("全部")
        self.action_search()

    def action_page(self, step: int) -> None:
        page = self.page
        if page is None or not page.rows:
            return
        if step > 0 and page.has_next:
            self._load(page.rows[-1].identity_id, None, self.page_no + 1)
        elif step < 0 and page.has_previous:
            self._load(None, page.rows[0].identity_id, self.page_no - 1)

    def reload(self, keep: int | None = None) -> None:
        """The current page again (after a change), the cursor on `keep` when it is still there."""
        first = self.page.rows[0].identity_id if self.page and self.page.rows else None
        after = first - 1 if first is not None else None
        self._load(after if self.page_no > 1 else None, None, self.page_no, keep=keep)

    def _load(self, after: int | None, before: int | None, page_no: int, keep: int | None = None) -> None:
        flt = self.flt
        calls.run(self, q.list_operators, flt, after=after, before=before,
                  done=lambda page: self._show(page, page_no, keep), group="load")

    def _show(self, page: q.OperatorPage, page_no: int, keep: int | None) -> None:
        self.page, self.page_no = page, page_no
        self.rows = {row.identity_id: row for row in page.rows}
        start = (page_no - 1) * q.PAGE_SIZE
        keys = [row.identity_id for row in page.rows]
        table = self.query_one(RowList)
        table.set_rows(
            [(str(start + i + 1), r.operator_id, r.name, r.mobile_masked, r.department, r.role_label, r.status_label)
             for i, r in enumerate(page.rows)],
            keys, cursor=keys.index(keep) if keep in keys else 0,
        )
        pages = max(1, -(-page.total // q.PAGE_SIZE))
        self.query_one("#page-info", PlainStatic).set_text(
            f"共 {page.total} 条　第 {page_no} / {pages} 页　PageUp/PageDown 翻页")
        self.say("")

    def say(self, message: str) -> None:
        self.query_one("#message", PlainStatic).set_text(message)

    def show_error(self, error: ServiceError) -> None:
        self.say(error.message)
        if error.field in TEXT_FILTERS or error.field in ("status", "category"):
            self.query_one(f"#{error.field}").focus()

    def _current(self) -> q.OperatorRow | None:
        key = self.query_one(RowList).current_key
        if key is None:
            self.say("请先选择一个操作员")
            return None
        return self.rows[key]

    # -- actions -----------------------------------------------------------------------------
    @on(RowList.Selected)
    def _selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.action_detail()

    def action_detail(self) -> None:
        if (row := self._current()) is None:
            return
        calls.run(self, q.operator_detail, row.identity_id, done=self._show_detail)

    def _show_detail(self, detail: q.OperatorDetail) -> None:
        width = max(cell_len(label) for label, _ in detail.lines())
        body = "\n".join(f"{label}{' ' * (width - cell_len(label))}：{value}" for label, value in detail.lines())
        self.app.push_screen(NoticeDialog("操作员详情", body))

    def action_add(self) -> None:
        self.app.push_screen(AddOperatorDialog(), self._added)

    def _added(self, added: ops.Added | None) -> None:
        if added is None:
            return
        self.app.push_screen(NoticeDialog(
            "新增操作员成功",
            f"操作员ID：{added.operator_id}\n操作员姓名：{added.name}\n"
            f"初始密码已通过短信发送至 {added.mobile_masked}，首次登录须修改密码。"))
        self.reload(keep=added.identity_id)

    def action_modify(self) -> None:
        if (row := self._current()) is None:
            return
        calls.run(self, q.operator_detail, row.identity_id,
                  done=lambda detail: self.app.push_screen(ModifyOperatorDialog(detail), self._modified))

    def _modified(self, identity_id: int | None) -> None:
        if identity_id is not None:
            self.app.notify("操作员信息已修改", markup=False)
            self.reload(keep=identity_id)

    def action_delete(self) -> None:
        if (row := self._current()) is None:
            return
        if row.status == "disabled":
            self.say("该操作员已停用")
            return
        question = f"确定删除操作员 {row.operator_id} {row.name} 吗？\n删除后该账户将停用，不能再登录，其办理过的业务保留。"
        self.app.push_screen(ConfirmDialog(question), lambda yes: self._delete(row) if yes else None)

    def _delete(self, row: q.OperatorRow) -> None:
        def deleted(_version: int) -> None:
            self.app.notify(f"操作员 {row.operator_id} 已删除（已停用）", markup=False)
            self.reload(keep=row.identity_id)

        calls.run(self, ops.disable_operator, row.identity_id, row.version, done=deleted)

    def action_bind_key(self) -> None:
        if (row := self._current()) is None:
            return
        calls.run(self, q.operator_detail, row.identity_id, done=self._bind_key)

    def _bind_key(self, detail: q.OperatorDetail) -> None:
        if detail.ssh_key:
            self.say(f"该操作员已绑定SSH密钥 {detail.ssh_key}，请先按 F9 解除绑定")
            return

        def bound(key: ssh_keys.BoundKey | None) -> None:
            if key is not None:
                self.app.notify(f"已为操作员 {detail.operator_id} 绑定SSH密钥 {key.fingerprint}", markup=False)

        self.app.push_screen(BindSshKeyDialog(detail), bound)

    def action_unbind_key(self) -> None:
        if (row := self._current()) is None:
            return
        calls.run(self, q.operator_detail, row.identity_id, done=self._ask_unbind)

    def _ask_unbind(self, detail: q.OperatorDetail) -> None:
        if not detail.ssh_key:
            self.say("该操作员未绑定SSH密钥")
            return
        question = (f"确定解除操作员 {detail.operator_id} {detail.name} 的SSH密钥 {detail.ssh_key} 吗？\n"
                    "解除后该密钥登录时须输入用户名、密码和验证码。")

        def unbound(_fingerprint: str) -> None:
            self.app.notify(f"操作员 {detail.operator_id} 的SSH密钥已解除绑定", markup=False)

        self.app.push_screen(ConfirmDialog(question), lambda yes: calls.run(
            self, ssh_keys.unbind_key, detail.identity_id, done=unbound) if yes else None)

    def action_reset_otp(self) -> None:
        """BY-08: an operator who lost the phone logs in with the password alone until they enrol again."""
        if (row := self._current()) is None:
            return
        from services.identity import otp

        question = f"确定重置操作员 {row.operator_id} {row.name} 的动态口令吗？\n重置后其登录只需密码，恢复码作废，可重新启用。"

        def reset() -> None:
            calls.run(self, otp.reset_operator_otp, row.identity_id,
                      done=lambda name: self.app.notify(f"已重置 {name} 的动态口令", markup=False))

        self.app.push_screen(ConfirmDialog(question), lambda yes: reset() if yes else None)

    def export_source(self):
        """导出Excel (Ctrl+O): every row of the applied filter, not only this page."""
        flt = self.flt
        return lambda db, actor: q.export_table(db, actor, flt)
