"""未认证用户注册, step 2 (BJ-02): 选择激活方式 — 短信验证码校验 or 电子邮箱校验; the code, 【下一步】."""

from __future__ import annotations

import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from screens.common.form import Field, FormScreen
from services.identity import registration
from services.identity.ratelimit import source_address
from tui import calls
from tui.choice import ChoiceField
from tui.widgets import PlainStatic

METHODS = tuple(registration.CHANNELS.values())
CHANNEL_OF = {label: key for key, label in registration.CHANNELS.items()}


class ActivationScreen(FormScreen):
    """Dismisses with the new 未认证用户名, or None for 上一步."""

    HEADING = "未认证用户注册 — 选择激活方式"
    BINDINGS = [
        Binding("f5", "send", "获取验证码", id="identity.register_send_code"),
        Binding("f9", "activate", "下一步", id="identity.register_activate"),
        Binding("escape", "back", "上一步", id="identity.register_previous"),
    ]

    def __init__(self, form: registration.Registration) -> None:
        super().__init__()
        self.form = form

    def fields(self) -> tuple[Field, ...]:
        return (
            Field("method", "激活方式", True, choices=METHODS, value=METHODS[0]),
            Field("code", "验证码", True, max_length=6),
        )

    def compose_top(self) -> ComposeResult:
        yield PlainStatic("", id="address", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_method()

    @property
    def channel(self) -> str:
        return CHANNEL_OF[self.query_one("#method", ChoiceField).value]

    def _show_method(self) -> None:
        if self.channel == "sms":
            text = f"手机号码：{self.form.mobile}　按 F5【获取短信验证码】，填写手机收到的验证码，按 F9【下一步】激活。"
        else:
            text = (f"邮箱地址：{self.form.email}　按 F5 发送校验邮件至该邮箱，填写邮件中的校验码，"
                    "按 F9【下一步】激活。")
        self.query_one("#address", PlainStatic).set_text(text)

    @on(ChoiceField.Changed, "#method")
    def _method_changed(self) -> None:
        self.clear_errors()
        self._show_method()

    def action_send(self) -> None:
        self.clear_errors()
        self.say("正在发送…")
        calls.run(self, registration.send_code, self.form, self.channel, source=source_address(os.environ),
                  done=self._sent)

    def _sent(self, masked: str) -> None:
        what = "短信验证码" if self.channel == "sms" else "校验邮件"
        self.say(f"{what}已发送至 {masked}，5分钟内有效")
        self.app.deliver_outbox()
        self.focus_field("code")

    def submit(self) -> None:
        self.action_activate()

    def action_activate(self) -> None:
        self.clear_errors()
        code = self.values()["code"]
        calls.run(self, registration.activate, self.form, self.channel, code,
                  source=source_address(os.environ), done=self.dismiss)

    def action_back(self) -> None:
        self.dismiss(None)
