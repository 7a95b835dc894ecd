"""物业单位注册申请 (BJ-05): the registrant's form, 【提交】, then 业务办理完成 with the application number and
【打印】 the 物业单位注册申请单. A returned application opens with its reason, ready to be corrected."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.common.form import Field, FormScreen
from services.identity import unit_application as service
from services.identity.validators import ID_TYPES
from tui import calls
from tui.screens_base import LeanScreen
from tui.widgets import LeanFooter, PlainStatic


class UnitApplicationScreen(FormScreen):
    HEADING = "物业单位注册申请"
    HINT = "提交后请携带相关材料前往所选的区县管理部办理。F9 提交，Esc 返回。"
    BINDINGS = [
        Binding("f9", "submit", "提交", id="identity.unit_submit"),
        Binding("f6", "print", "打印申请单", id="identity.unit_print"),
        Binding("escape", "app.pop_screen", "返回", id="identity.unit_back"),
    ]

    def __init__(self, view: service.UnitApplicationView) -> None:
        super().__init__()
        self.view = view

    def fields(self) -> tuple[Field, ...]:
        f = self.view.form
        authorities = self.view.authorities
        return (
            Field("name", "单位名称", True, max_length=100, value=f.name),
            Field("org_code", "组织机构代码", True, max_length=10, value=f.org_code, placeholder="12345678-X"),
            Field("credit_code", "社会诚信代码", True, max_length=18, value=f.credit_code),
            Field("address", "单位地址", True, max_length=200, value=f.address),
            Field("legal_rep_name", "法定代表人", True, max_length=40, value=f.legal_rep_name),
            Field("legal_rep_id_type", "证件类型", True, choices=ID_TYPES, value=f.legal_rep_id_type),
            Field("legal_rep_id_no", "证件号码", True, max_length=18, value=f.legal_rep_id_no),
            Field("contact_name", "联系人", True, max_length=40, value=f.contact_name),
            Field("contact_mobile", "联系人手机", True, max_length=11, value=f.contact_mobile),
            Field("authority", "审核管理部", True, choices=authorities,
                  value=f.authority if f.authority in authorities else ""),
        )

    def compose_top(self) -> ComposeResult:
        view = self.view
        if view.application_no is None:
            text = "录入单位信息，选择审核材料的区县管理部后提交。"
        elif view.status == "returned":
            # No spaces around the number: the wrap would break there and leave it alone on the first line.
            text = f"申请{view.application_no}已被退回，原因：{view.return_reason}。请修改后重新提交。"
        else:
            text = f"申请{view.application_no}（{view.submitted_at}提交）{view.status_label}。"
        yield PlainStatic(text, id="status", classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.view.status in (None, "returned")
        if action == "print":
            return self.view.application_no is not None
        return True

    def submit(self) -> None:
        if self.view.status in (None, "returned"):
            self.action_submit()

    def action_submit(self) -> None:
        self.clear_errors()
        self.say("正在提交…")
        calls.run(self, service.submit, self.values(), done=self._submitted)

    def _submitted(self, result: service.Submitted) -> None:
        self.app.deliver_outbox()
        calls.run(self, service.refreshed_actor, done=lambda actor: self._done(actor, result))

    def _done(self, actor, result: service.Submitted) -> None:
        self.app.actor = actor  # the identity now works for the pending unit (its documents, 补打)
        self.app.switch_screen(UnitSubmittedScreen(result))

    def action_print(self) -> None:
        from screens.common.deliver import start_unit_application_print

        start_unit_application_print(self, self.view.application_no)


class UnitSubmittedScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    UnitSubmittedScreen #done { padding: 2 0 0 6; height: auto; text-style: bold; }
    UnitSubmittedScreen .hint { padding: 1 0 0 6; }
    """
    BINDINGS = [
        Binding("f6,p", "print", "打印", id="identity.unit_done_print"),
        Binding("escape,enter", "app.pop_screen", "返回首页", id="identity.unit_done_home"),
    ]

    def __init__(self, result: service.Submitted) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield Static("业务办理完成", classes="title", markup=False)
        again = "重新提交" if self.result.resubmitted else "提交"
        yield PlainStatic(f"物业单位注册申请已{again}，申请编号：{self.result.application_no}", id="done")
        yield PlainStatic(f"请携带相关材料前往{self.result.authority}办理，审核期限至 {self.result.due_on}。\n"
                          "F6【打印】物业单位注册申请单；以后可在“补打”中重新打印。", classes="hint")
        yield LeanFooter()

    def action_print(self) -> None:
        from screens.common.deliver import start_unit_application_print

        start_unit_application_print(self, self.result.application_no)
