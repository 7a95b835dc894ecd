"""动态口令 of one's own account: its state, and the keys to enrol, disable and renew recovery codes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from services.core.clock import local_text
from services.identity import otp
from screens.identity.otp_code import CodeDialog
from screens.identity.otp_enrol import EnrolScreen, RecoveryCodesScreen
from tui import calls
from tui.screens_base import LeanScreen
from tui.widgets import LeanFooter, PlainStatic

PROVE = "请输入身份验证器上当前显示的6位动态口令，或一个恢复码。"


class OtpAccountScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    OtpAccountScreen #state { padding: 1 2; height: auto; }
    OtpAccountScreen .hint { padding: 0 2; height: auto; color: $text-muted; }
    OtpAccountScreen #otp-message { padding: 1 2; height: auto; }
    """
    BINDINGS = [
        Binding("f2", "enrol", "启用", id="otp.enrol"),
        Binding("f3", "disable", "停用", id="otp.disable"),
        Binding("f4", "renew", "重新生成恢复码", id="otp.renew"),
        Binding("escape", "back", "返回", id="otp.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: otp.OtpStatus | None = None

    def compose(self) -> ComposeResult:
        yield Static("动态口令", classes="title", markup=False)
        yield PlainStatic("正在读取…", id="state")
        yield Static("启用后，每次登录在密码（或密钥）之后还须输入手机身份验证器上的6位动态口令。"
                     "手机丢失时，可用恢复码登录，或请单位管理员在操作员管理中重置动态口令。",
                     classes="hint", markup=False)
        yield PlainStatic("", id="otp-message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        calls.run(self, otp.otp_status, done=self._show)

    def _show(self, status: otp.OtpStatus) -> None:
        self.status = status
        if status.enabled:
            text = (f"状态：已启用（{local_text(status.enabled_at, '%Y-%m-%d %H:%M')}）　"
                    f"剩余恢复码 {status.recovery_left} 个\nF3 停用　F4 重新生成恢复码")
        else:
            text = "状态：未启用\nF2 启用动态口令"
        self.query_one("#state", PlainStatic).set_text(text)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("enrol", "disable", "renew"):
            enabled = self.status is not None and self.status.enabled
            return (not enabled) if action == "enrol" else enabled
        return True

    def say(self, message: str) -> None:
        self.query_one("#otp-message", PlainStatic).set_text(message)

    def show_error(self, error) -> None:
        self.say(error.message)

    def action_enrol(self) -> None:
        calls.run(self, otp.begin_enrolment, done=lambda enrolment: self.app.push_screen(
            EnrolScreen(enrolment), self._enrolled))

    def _enrolled(self, recovery: tuple[str, ...] | None) -> None:
        if recovery is None:
            self.say("未启用：动态口令尚未确认")
            return
        self.say("动态口令已启用，下次登录起须输入动态口令")
        self.app.push_screen(RecoveryCodesScreen(recovery), lambda _: self.reload())

    def action_disable(self) -> None:
        def done(result) -> None:
            if result is not None:
                self.say("动态口令已停用，登录只需密码")
                self.reload()

        self.app.push_screen(CodeDialog("停用动态口令", PROVE, otp.disable_otp), done)

    def action_renew(self) -> None:
        def done(recovery) -> None:
            if recovery:
                self.app.push_screen(RecoveryCodesScreen(recovery, "新的恢复码（原恢复码已作废）"),
                                     lambda _: self.reload())

        self.app.push_screen(CodeDialog("重新生成恢复码", PROVE, otp.renew_recovery_codes), done)

    def action_back(self) -> None:
        self.dismiss(None)
