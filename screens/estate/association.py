"""物业区域关联 (BJ-24): search a developer's communities, tick them, 【提交物业区域关联】 → the attachments step
(screens.estate.association_files) → 业务办理完成 with the application number. F7 lists the enterprise's
applications with the department's decision and reason. This module drives the flow: it alone opens its steps.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from screens.common.dialogs import NoticeDialog
from screens.estate.association_files import AttachmentsScreen
from services.core.errors import ServiceError
from services.estate import association as assoc
from tui import calls
from tui.choice import ChoiceField
from tui.screens_base import LeanScreen
from tui.table import Table
from tui.text import safe
from tui.widgets import CompactInput, LeanFooter, PlainStatic

ALL_DISTRICTS = "全部区县"
TICKED, UNTICKED, LOCKED = "[√]", "[ ]", " - "


class AssociationScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    AssociationScreen #search { height: 1; }
    AssociationScreen .field-label { width: auto; padding: 0 1; }
    AssociationScreen #developer { width: 30; }
    AssociationScreen ChoiceField { width: 20; }
    AssociationScreen DataTable { height: 1fr; }
    AssociationScreen #assoc-message { height: auto; }
    """
    BINDINGS = [
        Binding("f5", "search", "查询", id="association.search"),
        Binding("space", "tick", "勾选", id="association.tick"),
        Binding("f2", "submit", "提交物业区域关联", id="association.submit"),
        Binding("f7", "mine", "我的申请", id="association.mine"),
        Binding("escape", "app.pop_screen", "返回", id="association.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.districts: dict[str, int | None] = {ALL_DISTRICTS: None}
        self.rows: list[assoc.CommunityChoice] = []
        self.ticked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Static("物业区域关联", classes="title", markup=False)
        with Horizontal(id="search"):
            yield Static("开发企业名称", classes="field-label", markup=False)
            yield CompactInput(id="developer", max_length=100, placeholder="名称中的字词")
            yield Static("所属区县", classes="field-label", markup=False)
            yield ChoiceField((ALL_DISTRICTS,), ALL_DISTRICTS, id="district")
        yield PlainStatic("录入开发企业名称、选择所属区县后按 Enter 或 F5 查询；Space 勾选小区，F2 提交", classes="hint")
        table = Table(id="communities", cursor_type="row", zebra_stripes=False)
        table.add_column("选", key="tick")
        for label in ("小区名称", "所属区县", "开发企业", "关联状态", "地址"):
            table.add_column(label, key=label)
        yield table
        yield PlainStatic("", id="assoc-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#developer", Input).focus()
        calls.run(self, assoc.districts, done=self._districts, group="districts")

    def _districts(self, found: list[tuple[int, str]]) -> None:
        self.districts = {ALL_DISTRICTS: None, **{name: i for i, name in found}}
        field = self.query_one("#district", ChoiceField)
        field.choices = tuple(self.districts)

    def say(self, message: str) -> None:
        self.query_one("#assoc-message", PlainStatic).set_text(message)

    def show_error(self, error: ServiceError) -> None:
        self.say(error.message)
        if error.field == "developer":
            self.query_one("#developer", Input).focus()

    @on(Input.Submitted, "#developer")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#district", ChoiceField).focus()

    def on_key(self, event) -> None:
        if event.key == "enter" and self.query_one("#district", ChoiceField).has_focus:
            event.stop()
            self.action_search()

    def action_search(self) -> None:
        name = self.query_one("#developer", Input).value
        district = self.districts.get(self.query_one("#district", ChoiceField).value)
        self.say("正在查询 ……")
        calls.run(self, assoc.search, name, district, done=self._show, group="search")

    def _show(self, rows: list[assoc.CommunityChoice]) -> None:
        self.rows = rows
        self.ticked &= {r.community_id for r in rows if not r.state}
        table = self.query_one("#communities", DataTable)
        table.clear()
        for r in rows:
            table.add_row(self._mark(r), r.name, r.district, r.developer, r.state or "未关联", r.address,
                          key=str(r.community_id))
        if rows:
            self.say(f"找到 {len(rows)} 个小区" + ("（只列出前 200 个，请缩小查询范围）" if len(rows) >= assoc.SEARCH_LIMIT else ""))
            table.focus()
        else:
            self.say("暂无数据：没有找到该开发企业名下的小区")

    def _mark(self, row: assoc.CommunityChoice) -> str:
        if row.state:
            return LOCKED
        return TICKED if row.community_id in self.ticked else UNTICKED

    def _current(self) -> assoc.CommunityChoice | None:
        table = self.query_one("#communities", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_tick(self) -> None:
        row = self._current()
        if row is None:
            self.say("请先查询并选择小区")
            return
        if row.state:
            self.say(f"小区 {row.name} {row.state}，不能再申请关联")
            return
        self.ticked ^= {row.community_id}
        self.query_one("#communities", DataTable).update_cell(str(row.community_id), "tick", self._mark(row))
        self.say(f"已勾选 {len(self.ticked)} 个小区")

    def action_submit(self) -> None:
        chosen = [r for r in self.rows if r.community_id in self.ticked]
        if not chosen:
            self.say("请先勾选需要关联的小区（Space 勾选）")
            return
        if len({r.district for r in chosen}) > 1:
            self.say("所选小区须属于同一区县（由该区管理部审核），请按区县分别提交")
            return
        self.app.push_screen(AttachmentsScreen(chosen), self._submitted)

    def _submitted(self, result: assoc.Submitted | None) -> None:
        if result is None:
            return
        self.ticked.clear()
        self.app.push_screen(NoticeDialog("业务办理完成", "物业区域关联申请已提交。\n" + result.message))
        if self.rows:
            self.action_search()

    def action_mine(self) -> None:
        calls.run(self, assoc.my_applications, done=self._mine, group="mine")

    def _mine(self, rows: list[assoc.ApplicationRow]) -> None:
        self.app.push_screen(NoticeDialog("我的物业区域关联申请", describe(rows) if rows else "暂无数据"))


def describe(rows: list[assoc.ApplicationRow]) -> str:
    lines = []
    for r in rows:
        lines.append(f"{r.application_no}　{r.status_label}　{r.district}　提交 {r.submitted_at[:16]}")
        lines.append(f"　小区：{r.communities}")
        if r.status == "pending":
            lines.append(f"　审核期限：{r.deadline}" + ("　（持实体材料至管理部办理）" if r.paper else f"　附件 {r.files} 个"))
        else:
            lines.append(f"　审核时间：{r.reviewed_at[:16]}" + (f"　退回原因：{r.reason}" if r.reason else ""))
    return "\n".join(lines)


class ApplicationDialog(NoticeDialog):
    """One application of the enterprise's, opened from 业务流水查询."""

    def __init__(self, application_id: int) -> None:
        super().__init__("物业区域关联申请", "正在读取 …")
        self.application_id = application_id

    def on_mount(self) -> None:
        calls.run(self, assoc.my_applications, done=self._found, failed=lambda e: self._body(e.message))

    def _found(self, rows: list[assoc.ApplicationRow]) -> None:
        mine = [r for r in rows if r.application_id == self.application_id]
        self._body(describe(mine) if mine else "申请不存在或不属于本单位")

    def _body(self, text: str) -> None:
        self.query_one("VerticalScroll > Static", Static).update(safe(text))
