"""增加 and 修改 of 操作员管理: the new-operator form with its department picker (【选择】), and the
modify form where only the mobile and the status can change."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from services.admin import operators as ops
from services.admin import operators_query as q
from services.admin.labels import STATUS_LABELS
from services.core.errors import ServiceError
from tui import calls
from tui.choice import ChoiceField
from tui.screens_base import LeanModalScreen
from tui.text import safe
from tui.widgets import CompactInput, LeanFooter, PlainStatic

FORM_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 76; height: auto; border: solid $primary; padding: 0 1; }}
{name} .form-title {{ height: 1; text-style: bold; width: 1fr; text-align: center; }}
{name} .row {{ height: 1; }}
{name} .row > .label {{ width: 14; text-align: right; padding-right: 1; }}
{name} .row > .required {{ color: $error; }}
{name} .row > CompactInput {{ width: 30; }}
{name} .row > ChoiceField {{ width: 30; }}
{name} .row > .value {{ width: 1fr; }}
{name} #form-message {{ height: auto; color: $error; }}
{name} .keys {{ height: 1; color: $text-muted; }}
"""


def _label(text: str, required: bool = False) -> Static:
    return Static(("*" if required else "") + text, classes="label required" if required else "label",
                  markup=False)


def field_row(label: str, field: Widget, required: bool = False) -> Horizontal:
    return Horizontal(_label(label, required), field, classes="row")


def shown_rows(pairs) -> list[Horizontal]:
    """Read-only rows of (label, value)."""
    return [field_row(label, PlainStatic(value, classes="value")) for label, value in pairs]


class DepartmentField(Widget, can_focus=True):
    """部门名称: shows the chosen department; Enter (or F3 on the form) is 【选择】."""

    DEFAULT_CSS = """
    DepartmentField { height: 1; width: 1fr; padding: 0 1; background: $surface-lighten-1; }
    DepartmentField:focus { background: $primary-muted; }
    """
    BINDINGS = [Binding("enter,space", "screen.pick", "选择", show=False, id="admin.pick_department")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.department: ops.Department | None = None

    def render(self):
        if self.department is None:
            return safe("【选择】（Enter）")
        return safe(f"{self.department.name}　【选择】")

    def choose(self, department: ops.Department) -> None:
        self.department = department
        self.refresh()


class DepartmentPicker(LeanModalScreen[ops.Department | None]):
    DEFAULT_CSS = """
    DepartmentPicker { align: center middle; }
    DepartmentPicker > Vertical { width: 70; height: auto; max-height: 20; border: solid $primary; padding: 0 1; }
    DepartmentPicker OptionList, DepartmentPicker OptionList:focus { height: auto; max-height: 14; border: none; }
    DepartmentPicker .keys { height: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消", id="admin.pick_cancel")]

    def __init__(self, departments: list[ops.Department]) -> None:
        super().__init__()
        self.departments = departments

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("选择部门（物业服务企业或其小区管理处）", markup=False)
            yield OptionList(*(Option(safe(f"{d.name}（{d.kind_label}）"), id=str(i))
                               for i, d in enumerate(self.departments)), id="departments")
            yield Static("↑↓ 选择　Enter 确定　Esc 取消", classes="keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.departments[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Form(LeanModalScreen):
    FIELDS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.busy = False  # a save is on its way: F2 again must not send a second one

    def save_with(self, message: str, service, *args, done, **kwargs) -> None:
        if self.busy:
            return
        self.busy = True
        self.say(message)
        calls.run(self, service, *args, done=done, failed=self.show_error, **kwargs)

    def say(self, message: str) -> None:
        self.query_one("#form-message", PlainStatic).set_text(message)

    def show_error(self, error: ServiceError) -> None:
        self.busy = False
        self.say(error.message)
        if error.field in self.FIELDS:
            self.query_one(f"#{error.field}").focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        event.stop()
        if event.input.id == self.FIELDS[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddOperatorDialog(_Form):
    DEFAULT_CSS = FORM_CSS.format(name="AddOperatorDialog")
    BINDINGS = [
        Binding("f2", "save", "保存", id="admin.save"),
        Binding("f3", "pick", "选择部门", id="admin.pick"),
        Binding("escape", "cancel", "返回", id="admin.form_back"),
    ]
    FIELDS = ("name", "department", "mobile", "role", "remark")

    def __init__(self) -> None:
        super().__init__()
        self.departments: list[ops.Department] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("操作员信息添加", classes="form-title", markup=False)
            yield field_row("操作员姓名", CompactInput(id="name", max_length=ops.NAME_MAX,
                                                       placeholder="请输入（身份证姓名）"), True)
            yield field_row("部门名称", DepartmentField(id="department"), True)
            yield field_row("部门类别", PlainStatic("（选择部门后填入）", id="category", classes="value"))
            yield field_row("手机号码", CompactInput(id="mobile", max_length=11,
                                                     placeholder="请输入（身份证绑定的手机号码）"), True)
            yield field_row("角色", ChoiceField((), id="role", placeholder="请先选择部门"))
            yield field_row("备注", CompactInput(id="remark", max_length=ops.REMARK_MAX, placeholder="请输入"))
            yield PlainStatic("", id="form-message")
            yield Static("F2 保存　F3/Enter 选择部门　Esc 返回　保存时进行手机二要素校验", classes="keys",
                         markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        calls.run(self, ops.departments, self.app.profile.key, done=self._departments)

    def _departments(self, departments: list[ops.Department]) -> None:
        self.departments = departments
        if len(departments) == 1:  # Beijing (BJ-26): the enterprise alone
            self._choose(departments[0])

    def action_pick(self) -> None:
        if self.departments:
            self.app.push_screen(DepartmentPicker(self.departments), self._picked)

    def _picked(self, department: ops.Department | None) -> None:
        if department is not None:
            self._choose(department)
            self.query_one("#mobile", Input).focus()

    def _choose(self, department: ops.Department) -> None:
        self.query_one(DepartmentField).choose(department)
        self.query_one("#category", PlainStatic).set_text(department.kind_label)
        role = self.query_one("#role", ChoiceField)
        role.choices = tuple(label for _r, label in department.roles)
        role.set_value(role.choices[0])

    def action_save(self) -> None:
        if self.busy:
            return
        department = self.query_one(DepartmentField).department
        role_label = self.query_one("#role", ChoiceField).value
        role = next((r for r, label in department.roles if label == role_label), "") if department else ""
        form = ops.NewOperator(
            name=self.query_one("#name", Input).value,
            department_id=department.id if department else None,
            mobile=self.query_one("#mobile", Input).value,
            role=role,
            remark=self.query_one("#remark", Input).value,
        )
        self.save_with("正在进行手机二要素校验……", ops.add_operator, form, self.app.profile.key, done=self.dismiss)


class ModifyOperatorDialog(_Form):
    """Only 手机号码 and 操作员状态 can change; the rest is shown read-only."""

    DEFAULT_CSS = FORM_CSS.format(name="ModifyOperatorDialog")
    BINDINGS = [
        Binding("f2", "save", "保存", id="admin.modify_save"),
        Binding("escape", "cancel", "返回", id="admin.modify_back"),
    ]
    FIELDS = ("mobile", "status")

    def __init__(self, detail: q.OperatorDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        d = self.detail
        with Vertical():
            yield Static("修改操作员", classes="form-title", markup=False)
            yield from shown_rows((("操作员ID", d.operator_id), ("操作员姓名", d.name), ("部门名称", d.department),
                                   ("部门类别", d.category_label), ("角色", d.role_label), ("备注", d.remark)))
            yield field_row("手机号码", CompactInput(d.mobile, id="mobile", max_length=11), True)
            yield field_row("操作员状态", ChoiceField(tuple(STATUS_LABELS.values()), STATUS_LABELS[d.status],
                                                      id="status"), True)
            yield PlainStatic("", id="form-message")
            yield Static("F2 保存　Esc 返回　修改手机号码时重新进行手机二要素校验", classes="keys", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#mobile", Input).focus()

    def action_save(self) -> None:
        label = self.query_one("#status", ChoiceField).value
        status = next(k for k, v in STATUS_LABELS.items() if v == label)
        self.save_with("正在保存……", ops.modify_operator, self.detail.identity_id, self.detail.version,
                       mobile=self.query_one("#mobile", Input).value, status=status,
                       done=lambda _version: self.dismiss(self.detail.identity_id))
