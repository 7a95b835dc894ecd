"""SH-11 物企下属人员或小区管理处用户登录 (Shanghai): 手机号码, 密码, 手机验证码 (F5【获取验证码】), 【登录】.

Opened with F2 from the login screen; dismisses with (LoginResult, Actor | None) once the services accepted
the login (the login screen then starts the session: the first login's password change, then 确认选择 of the
system), or None for Esc / F2 back to the user-name login.
"""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.binding import Binding

from screens.common.form import Field, FormScreen
from services.identity import mobile_login
from services.identity.ratelimit import source_address
from tui import calls
from tui.widgets import PlainStatic


class MobileLoginScreen(FormScreen):
    HINT = ("录入手机号码和密码，按 F5【获取验证码】，填写手机收到的验证码后按 Enter【登录】。"
            "首次登录需更换密码。F2 用户名登录。")
    BINDINGS = [
        Binding("f5", "send", "获取验证码", id="identity.mobile_send_code"),
        Binding("f9", "login", "登录", id="identity.mobile_login"),
        Binding("f2,escape", "back", "用户名登录", id="identity.mobile_back"),
    ]

    def fields(self) -> tuple[Field, ...]:
        return (
            Field("mobile", "手机号码", True, max_length=11),
            Field("password", "密码", True, password=True, max_length=128),
            Field("code", "手机验证码", True, max_length=6),
        )

    def compose_top(self) -> ComposeResult:
        yield PlainStatic("物企下属人员或小区管理处用户登录", id="method-title", classes="section")

    def action_send(self) -> None:
        self.clear_errors()
        self.say("正在发送…")
        mobile = self.values()["mobile"]
        calls.run(self, mobile_login.send_code, mobile, source=source_address(os.environ), done=self._sent)

    def _sent(self, masked: str) -> None:
        self.say(f"验证码已发送至 {masked}，5分钟内有效")
        self.app.deliver_outbox()
        values = self.values()
        self.focus_field("password" if not values["password"] else "code")

    def submit(self) -> None:
        self.action_login()

    def action_login(self) -> None:
        self.clear_errors()
        self.say("正在登录…")
        values = self.values()
        source = source_address(os.environ)

        def authenticate(db, actor):
            from services.identity import auth

            result = mobile_login.authenticate(db, actor, values["mobile"], values["password"], values["code"],
                                               source=source)
            entered = auth.enter(db, result, result.identities[0].identity_id) if len(result.identities) == 1 \
                else None
            return result, entered

        calls.run(self, authenticate, done=self.dismiss, failed=self._refused, group="login")

    def _refused(self, error) -> None:
        self.show_error(error)
        if error.field == "password":
            self.query_one("#password").value = ""

    def action_back(self) -> None:
        self.dismiss(None)
