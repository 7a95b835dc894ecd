"""维修资金企业绑定 (SH-01, answer 是): the existing 物业企业身份账号 (user name or key certificate number) and its
password, with the enterprise's 统一社会信用代码."""

from __future__ import annotations

import os

from textual.binding import Binding

from screens.common.form import Field, FormScreen
from services.identity import enterprise_registration as service
from services.identity.ratelimit import source_address
from tui import calls


class EnterpriseBindScreen(FormScreen):
    """Dismisses with the enterprise's name once bound, or None."""

    HEADING = "维修资金企业绑定"
    HINT = "录入维修资金系统已有的物业企业身份账号（用户名或密钥证书编号）及密码。F9 绑定，Esc 取消。"
    BINDINGS = [
        Binding("f9", "bind", "绑定", id="identity.enterprise_bind"),
        Binding("escape", "cancel", "取消", id="identity.enterprise_bind_cancel"),
    ]

    def fields(self) -> tuple[Field, ...]:
        return (
            Field("username", "账号", True, max_length=40),
            Field("password", "密码", True, password=True, max_length=128),
            Field("credit_code", "统一社会信用代码", True, max_length=18),
            Field("code", "动态口令", max_length=12, placeholder="已启用动态口令的账号填写"),
        )

    def submit(self) -> None:
        self.action_bind()

    def action_bind(self) -> None:
        self.clear_errors()
        values = self.values()
        calls.run(self, service.bind, values["username"], values["password"], values["credit_code"],
                  code=values["code"], source=source_address(os.environ), done=self.dismiss)

    def action_cancel(self) -> None:
        self.dismiss(None)
