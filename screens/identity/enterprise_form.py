"""物业企业注册 (SH-01..04): 物业企业基本信息, 物业企业相关人员信息, the platforms, and the supervision platform's
block only while that platform is chosen; 【注册】 / 【取消】."""

from __future__ import annotations

import os

from textual import on
from textual.binding import Binding

from screens.common.form import Field, FormScreen
from services.identity import enterprise_registration as service
from services.identity.ratelimit import source_address
from services.identity.validators import ID_TYPES, RESIDENT_ID
from tui import calls
from tui.choice import ChoiceField

YES_NO = ("注册", "不注册")


class EnterpriseFormScreen(FormScreen):
    """Dismisses with the Registered result, or None for 【取消】."""

    HEADING = "物业企业注册"
    HINT = "平台：维修资金系统＝上海市商品住房维修资金管理系统；监管平台＝上海市物业监管平台及招投标系统。F9 注册，Esc 取消。"
    BINDINGS = [
        Binding("f9", "register", "注册", id="identity.enterprise_register"),
        Binding("escape", "cancel", "取消", id="identity.enterprise_cancel"),
    ]

    def fields(self) -> tuple[Field, ...]:
        districts = tuple(name for _, name in self.app.profile.districts)
        return (
            Field("credit_code", "统一社会信用代码", True, max_length=18, section="物业企业基本信息"),
            Field("name", "企业名称", True, max_length=100),
            Field("postcode", "邮政编码", max_length=6),
            Field("phone", "电话", max_length=20),
            Field("email", "邮箱", max_length=100),
            Field("fax", "传真", max_length=20),
            Field("legal_name", "法定代表人姓名", True, max_length=40, section="物业企业相关人员信息"),
            Field("legal_mobile", "法定代表人手机号", True, max_length=11),
            Field("legal_id_type", "法人代表证件类型", True, choices=ID_TYPES, value=RESIDENT_ID),
            Field("legal_id_no", "法人代表证件号", True, max_length=18),
            Field("contact_name", "企业联系人姓名", True, max_length=40),
            Field("contact_mobile", "企业联系人手机号", True, max_length=11),
            Field("platform_fund", "维修资金系统", choices=YES_NO, value="注册", section="请选择注册平台"),
            Field("platform_supervision", "监管平台", choices=YES_NO, value="不注册"),
            Field("reg_place", "注册地", True, choices=service.REGISTERED_PLACES, value="上海市",
                  section="上海市物业管理监管与服务平台"),
            Field("reg_district", "注册所在区", True, choices=districts),
            Field("had_certificate", "原来是否有资质证书", choices=service.QUALIFICATION, value="是"),
            Field("grade", "原资质等级", choices=service.GRADES),
            Field("gm_name", "总经理姓名", True, max_length=40),
            Field("gm_mobile", "总经理手机号", True, max_length=11),
            Field("gm_id_type", "总经理证件类型", True, choices=ID_TYPES, value=RESIDENT_ID),
            Field("gm_id_no", "总经理证件号", True, max_length=18),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_supervision()

    @on(ChoiceField.Changed, "#platform_supervision")
    def _show_supervision(self) -> None:
        shown = self.query_one("#platform_supervision", ChoiceField).value == "注册"
        for key in service.SUPERVISION_FIELDS:
            self.query_one(f"#row-{key}").display = shown
        for section in self.query(".section"):
            if str(section.render()) == "上海市物业管理监管与服务平台":
                section.display = shown

    def submit(self) -> None:
        self.action_register()

    def action_register(self) -> None:
        self.clear_errors()
        self.say("正在注册…")
        districts = tuple(name for _, name in self.app.profile.districts)
        calls.run(self, service.register, self.values(), districts, source=source_address(os.environ),
                  done=self.dismiss)

    def action_cancel(self) -> None:
        self.dismiss(None)
