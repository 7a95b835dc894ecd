"""启用动态口令: the secret as a QR code and as grouped text, confirmed by one code; then the recovery
codes, shown this once."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from services.identity import otp
from tui import calls
from tui.qr_art import qr_lines, qr_text
from tui.screens_base import LeanScreen
from tui.widgets import CompactInput, LeanFooter, PlainStatic

HOW_TO = ("用手机上的身份验证器（如 Microsoft Authenticator、Google Authenticator）"
          "扫描左侧二维码，或手工输入下面的密钥（基于时间）。")


class EnrolScreen(LeanScreen[tuple[str, ...] | None]):
    """Returns the recovery codes once the authenticator is confirmed, None when the clerk backs out
    (the new secret then stays unconfirmed and the login keeps asking for the password only)."""

    DEFAULT_CSS = """
    EnrolScreen #enrol { height: 1fr; }
    EnrolScreen #qr { width: auto; height: auto; margin: 0 1 0 0; }
    EnrolScreen #side { width: 1fr; height: auto; }
    EnrolScreen #side > Static { height: auto; }
    EnrolScreen #secret { text-style: bold; padding: 1 0; }
    EnrolScreen #code-row { height: 1; margin-top: 1; }
    EnrolScreen #code-row > .field-label { width: 9; }
    EnrolScreen #code-row > CompactInput { width: 12; }
    EnrolScreen #code-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "back", "返回", id="otp_enrol.back")]

    def __init__(self, enrolment: otp.Enrolment) -> None:
        super().__init__()
        self.enrolment = enrolment

    def compose(self) -> ComposeResult:
        yield Static("启用动态口令", classes="title", markup=False)
        lines = qr_lines(self.enrolment.uri)
        with Horizontal(id="enrol"):
            yield Static(qr_text(self.enrolment.uri), id="qr")
            with Vertical(id="side"):
                yield Static(HOW_TO, markup=False)
                groups = self.enrolment.grouped.split(" ")
                half = (len(groups) + 1) // 2
                yield Static(" ".join(groups[:half]) + "\n" + " ".join(groups[half:]), id="secret", markup=False)
                yield Static(f"二维码占 {len(lines[0])} 列 {len(lines)} 行，显示不全时请放大终端窗口或手工输入"
                             "密钥。", id="size-hint", markup=False)
                yield Static("然后输入手机上显示的6位口令，按 Enter 启用。", markup=False)
                with Horizontal(id="code-row"):
                    yield Static("动态口令", classes="field-label", markup=False)
                    yield CompactInput(id="code", max_length=8)
                yield PlainStatic("", id="code-error")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def _confirm(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#code-error", PlainStatic).set_text("正在校验…")
        calls.run(self, otp.confirm_enrolment, event.value, done=self.dismiss, failed=self.show_error)

    def show_error(self, error) -> None:
        self.query_one("#code-error", PlainStatic).set_text(error.message)
        code = self.query_one("#code", Input)
        code.value = ""
        code.focus()

    def action_back(self) -> None:
        self.dismiss(None)


class RecoveryCodesScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    RecoveryCodesScreen #codes { padding: 1 4; height: auto; text-style: bold; }
    RecoveryCodesScreen .hint { padding: 0 2; height: auto; }
    """
    BINDINGS = [Binding("enter,escape", "close", "我已抄下", id="otp_recovery.close")]

    def __init__(self, codes: tuple[str, ...], heading: str = "动态口令已启用") -> None:
        super().__init__()
        self.codes, self.heading = codes, heading

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="title", markup=False)
        yield Static("恢复码（只显示这一次，请抄下或打印后妥善保管；手机不在身边时，登录可用一个恢复码代替动态口令，"
                     "每个恢复码只能使用一次）：", classes="hint", markup=False)
        pairs = [self.codes[i:i + 2] for i in range(0, len(self.codes), 2)]
        yield Static("\n".join("　　".join(pair) for pair in pairs), id="codes", markup=False)
        yield Static("抄下后按 Enter 返回。", classes="hint", markup=False)
        yield LeanFooter()

    def action_close(self) -> None:
        self.dismiss(None)
