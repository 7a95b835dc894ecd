"""维修资金网上业务经办人信息确认 (BJ-07): 证书编号, 登录密码, 随机验证码, 【提交】; on failure the message says to
correct the certificate number and password and submit again."""

from __future__ import annotations

import os

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from screens.common.form import Field, FormScreen
from services.identity import legacy
from services.identity.captcha import Captcha
from services.identity.ratelimit import source_address
from tui import calls
from tui.captcha_art import draw


class LegacyConfirmScreen(FormScreen):
    """Dismisses with the certificate number once confirmed, or None."""

    HEADING = "维修资金网上业务经办人信息确认"
    HINT = "新系统上线前已有密钥的用户首次登录时确认一次；新系统上线后领取密钥的用户可直接用密码登录。F9 提交。"
    DEFAULT_CSS = FormScreen.DEFAULT_CSS + """
    LegacyConfirmScreen #captcha-row { height: 5; padding-left: 13; }
    LegacyConfirmScreen #captcha-art { width: 20; color: $accent; }
    """
    BINDINGS = [
        Binding("f9", "submit", "提交", id="identity.legacy_submit"),
        Binding("f5", "new_captcha", "换一张验证码", id="identity.legacy_captcha"),
        Binding("escape", "back", "返回", id="identity.legacy_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.captcha = Captcha()

    def fields(self) -> tuple[Field, ...]:
        return (
            Field("username", "证书编号", True, max_length=40),
            Field("password", "登录密码", True, password=True, max_length=128),
            Field("captcha", "随机验证码", True, max_length=4),
        )

    def on_mount(self) -> None:
        self.mount(Horizontal(Static(Text(draw(self.captcha.code)), id="captcha-art"), id="captcha-row"),
                   after=self.query_one("#form"))
        super().on_mount()

    def action_new_captcha(self) -> None:
        self.captcha = Captcha()
        self.query_one("#captcha-art", Static).update(Text(draw(self.captcha.code)))
        self.query_one("#captcha", Input).value = ""

    def submit(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        self.clear_errors()
        values = self.values()
        calls.run(self, legacy.confirm, values["username"], values["password"], self.captcha, values["captcha"],
                  source=source_address(os.environ), done=self._confirmed, failed=self._failed)

    def _failed(self, error) -> None:
        self.show_error(error)
        if error.field in ("password", "captcha"):
            self.action_new_captcha()
        if error.field == "password":
            self.query_one("#password", Input).value = ""

    def _confirmed(self, result: legacy.Confirmed) -> None:
        self.app.notify(f"经办人 {result.real_name}（{result.organisation_name}）信息确认成功")
        self.dismiss(result.cert_no)

    def action_back(self) -> None:
        self.dismiss(None)
