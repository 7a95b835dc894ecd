"""未认证用户注册, step 1 (BJ-01): 用户基本信息, 单位基本信息, 用户注册信息; 【下一步】 checks them all."""

from __future__ import annotations

from textual.binding import Binding

from screens.common.form import Field, FormScreen
from services.identity import registration
from services.identity.validators import ID_TYPES, RESIDENT_ID
from tui import calls


class RegisterFormScreen(FormScreen):
    """Dismisses with ("next", Registration) or ("login", None) for 【使用原账户登录】/Escape."""

    HEADING = "未认证用户注册"
    HINT = "密码至少8位，含大写字母、小写字母、数字、符号中的三类。F9 下一步，F3 使用原账户登录。"
    BINDINGS = [
        Binding("f9", "next", "下一步", id="identity.register_next"),
        Binding("f3", "use_existing", "使用原账户登录", id="identity.register_use_existing"),
        Binding("escape", "use_existing", "返回", show=False, id="identity.register_back"),
    ]

    def __init__(self, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.initial = values or {}

    def fields(self) -> tuple[Field, ...]:
        v = self.initial
        return (
            Field("real_name", "个人姓名", True, max_length=40, section="用户基本信息", value=v.get("real_name", "")),
            Field("id_type", "证件类型", True, choices=ID_TYPES, value=v.get("id_type", RESIDENT_ID)),
            Field("id_no", "证件号码", True, max_length=18, value=v.get("id_no", "")),
            Field("unit_name", "单位名称", True, max_length=100, section="单位基本信息", value=v.get("unit_name", "")),
            Field("credit_code", "社会诚信代码", True, max_length=18, value=v.get("credit_code", "")),
            Field("mobile", "手机号码", True, max_length=11, section="用户注册信息", value=v.get("mobile", "")),
            Field("email", "邮箱", True, max_length=100, value=v.get("email", "")),
            Field("username", "用户名", True, max_length=20, value=v.get("username", "")),
            Field("password", "登录密码", True, password=True, max_length=128, value=v.get("password", "")),
            Field("confirm", "确认登录密码", True, password=True, max_length=128, value=v.get("confirm", "")),
        )

    def submit(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        self.clear_errors()
        self.say("正在检查…")
        calls.run(self, registration.check_form, self.values(), done=lambda form: self.dismiss(("next", form)))

    def action_use_existing(self) -> None:
        self.dismiss(("login", None))
