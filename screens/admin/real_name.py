"""实名认证: a subordinate files their real-name authentication request for the enterprise's
administrator (SH-06) and sees how it was decided. Approved data is locked."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from services.admin import realname
from services.core.errors import ServiceError
from services.identity.validators import ID_TYPES
from tui import calls
from tui.choice import ChoiceField
from tui.screens_base import LeanScreen
from tui.widgets import CompactInput, LeanFooter, PlainStatic

FIELDS = ("real_name", "id_type", "id_no", "mobile")


class RealNameScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    RealNameScreen .row { height: 1; }
    RealNameScreen .row > .label { width: 14; text-align: right; padding-right: 1; }
    RealNameScreen .row > CompactInput { width: 34; }
    RealNameScreen .row > ChoiceField { width: 34; }
    RealNameScreen #state { height: auto; padding: 0 1; }
    RealNameScreen #form-message { height: auto; color: $error; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "submit", "提交", id="admin.realname_submit"),
        Binding("escape", "app.pop_screen", "返回", id="admin.realname_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.locked = False

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        yield PlainStatic("实名认证", classes="title")
        yield PlainStatic("", id="state")
        with Vertical():
            with Horizontal(classes="row"):
                yield Static("*姓名", classes="label", markup=False)
                yield CompactInput(actor.real_name, id="real_name", max_length=40)
            with Horizontal(classes="row"):
                yield Static("*证件类型", classes="label", markup=False)
                yield ChoiceField(ID_TYPES, ID_TYPES[0], id="id_type")
            with Horizontal(classes="row"):
                yield Static("*证件号码", classes="label", markup=False)
                yield CompactInput(id="id_no", max_length=30, placeholder="请输入")
            with Horizontal(classes="row"):
                yield Static("*手机号码", classes="label", markup=False)
                yield CompactInput(id="mobile", max_length=11, placeholder="请输入")
            with Horizontal(classes="row"):
                yield Static("部门", classes="label", markup=False)
                yield PlainStatic(actor.organisation_name)
        yield PlainStatic("", id="form-message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#real_name", Input).focus()
        calls.run(self, realname.my_request, done=self._state)

    def _state(self, request: realname.MyRequest | None) -> None:
        if request is None:
            text = "尚未提交实名认证申请。填写后按 F2 提交，由本企业管理员审核。"
        else:
            text = f"最近一次申请：{request.status_label}（提交于 {request.submitted_at}）"
            if request.status == "rejected":
                text += f"\n驳回原因：{request.reason}\n可修改后重新提交。"
            self.query_one("#real_name", Input).value = request.real_name
            self.query_one("#id_type", ChoiceField).set_value(request.id_type)
            self.query_one("#mobile", Input).value = request.mobile
            if request.locked:
                text += "\n" + ("审核通过的实名信息已锁定，不能修改。" if request.status == "approved"
                                else "申请正在审核中，请等待管理员审核。")
                self.query_one("#id_no", Input).value = request.id_no_masked
                for field in FIELDS:
                    self.query_one(f"#{field}").disabled = True
        self.locked = bool(request and request.locked)
        self.query_one("#state", PlainStatic).set_text(text)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == FIELDS[-1]:
            self.action_submit()
        else:
            self.focus_next()

    def show_error(self, error: ServiceError) -> None:
        self.query_one("#form-message", PlainStatic).set_text(error.message)
        if error.field in FIELDS:
            self.query_one(f"#{error.field}").focus()

    def action_submit(self) -> None:
        if self.locked:
            return
        form = realname.RequestForm(
            real_name=self.query_one("#real_name", Input).value,
            id_type=self.query_one("#id_type", ChoiceField).value,
            id_no=self.query_one("#id_no", Input).value,
            mobile=self.query_one("#mobile", Input).value,
        )

        def submitted(_result) -> None:
            self.query_one("#form-message", PlainStatic).set_text("")
            self.app.notify("实名认证申请已提交，请等待本企业管理员审核", markup=False)
            calls.run(self, realname.my_request, done=self._state)

        calls.run(self, realname.submit_request, form, done=submitted)
