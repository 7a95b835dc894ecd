"""未认证用户注册, step 3 (BJ-03): the 未认证用户名; 【登录】 and 【使用原账户登录】 lead to the login screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.screens_base import LeanScreen
from tui.widgets import LeanFooter, PlainStatic


class RegisterDoneScreen(LeanScreen[str]):
    DEFAULT_CSS = """
    RegisterDoneScreen #done { padding: 2 0 0 6; height: auto; }
    RegisterDoneScreen #username-line { padding: 1 0 0 6; text-style: bold; height: auto; }
    RegisterDoneScreen .hint { padding: 1 0 0 6; }
    """
    BINDINGS = [
        Binding("enter,f9", "login", "登录", id="identity.register_login"),
        Binding("f3,escape", "login", "使用原账户登录", id="identity.register_done_existing"),
    ]

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username

    def compose(self) -> ComposeResult:
        yield Static("未认证用户注册 — 激活成功", classes="title", markup=False)
        yield Static("激活成功，已完成未认证用户注册。", id="done", markup=False)
        yield PlainStatic(f"未认证用户名：{self.username}", id="username-line")
        yield Static("请用此用户名和登录密码登录，登录后办理“物业单位注册申请”。\n"
                     "Enter【登录】　F3【使用原账户登录】", classes="hint", markup=False)
        yield LeanFooter()

    def action_login(self) -> None:
        self.dismiss(self.username)
