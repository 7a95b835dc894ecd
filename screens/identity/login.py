"""Login (BJ-04, BJ-06): user name or key certificate number, password, captcha, 【登录】.

Over SSH with a bound key (issue 13), the key selects the identity: the user name is filled in and
cannot be changed, and only the password is asked for (services.identity.ssh_login). An unbound key,
or F2, gives the ordinary form.

This is the first screen drawn, so it imports nothing heavy: the back end is loaded by a worker
once the screen is up, and every service call runs in a thread.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from tui.screens_base import LeanScreen
from textual.widgets import Input, Static

from services.identity.captcha import Captcha
from services.demo.accounts import DEMO_PASSWORD, demo_accounts
from tui.captcha_art import draw
from tui.typeahead import after_keys
from tui.widgets import FieldRow, LeanFooter, PlainStatic

METHOD_LABELS = {"password": ("用户名", "用户登录"), "key": ("证书编号", "密钥登录"),
                 "ssh": ("用户名", "SSH密钥登录")}
FIELDS = ("username", "password", "captcha")
# Load the back end once the first frames are out: importing it while they are drawn would
# compete with them for the interpreter and delay the first usable screen.
WARM_UP_DELAY_S = 0.5


class LoginScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    LoginScreen #form { height: auto; padding: 1 0 0 14; }
    LoginScreen #captcha-row { height: 5; padding-left: 13; }
    LoginScreen #captcha-art { width: 20; color: $accent; }
    LoginScreen #captcha-hint { width: 1fr; padding-left: 2; color: $text-muted; }
    LoginScreen #login-message { padding: 1 0 0 14; height: 2; }
    LoginScreen #demo { height: auto; padding: 0 0 0 2; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f5", "new_captcha", "换一张验证码", id="login.new_captcha"),
        Binding("f2", "switch_method", "切换登录方式", id="login.switch_method"),
        Binding("ctrl+q", "app.quit", "退出", id="login.quit"),
        Binding("f3", "register", "未认证用户注册", id="login.register"),
        Binding("f3", "register_enterprise", "企业注册", id="login.register_enterprise"),
        Binding("f4", "confirm_legacy", "经办人信息确认", id="login.legacy_confirm"),
        Binding("f2", "mobile_login", "手机号码登录", id="login.mobile_login"),
        # Typed ahead (user name, Enter, password in one burst over SSH), each key reaches its
        # field (tui.typeahead); through Input.Submitted alone the whole burst went into the user name.
        Binding("enter", "enter_field", "下一项", show=False, priority=True, id="login.next_field"),
    ]

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self.notice = notice  # why the last session ended, when the database ended it
        self.captcha = Captcha()
        self.method = "password"
        self.ssh_key = None  # the session's key while it is being looked up or is bound; None otherwise

    def compose(self) -> ComposeResult:
        profile = self.app.profile
        yield Static(profile.title, classes="title", markup=False)
        yield Static(METHOD_LABELS[self.method][1], id="method-title", classes="subtitle", markup=False)
        with Vertical(id="form"):
            yield FieldRow("用户名", "username", max_length=40)
            yield FieldRow("密码", "password", password=True, max_length=128)
            yield FieldRow("验证码", "captcha", max_length=4)
        with Horizontal(id="captcha-row"):
            yield Static(Text(draw(self.captcha.code)), id="captcha-art")
            yield Static("看不清？按 F5 换一张\n\nEnter 下一项，\n在验证码栏按 Enter 登录", id="captcha-hint",
                         markup=False)
        yield PlainStatic(self.notice, id="login-message", classes="message")
        if self.app.config.demo:
            yield Static(self._demo_text(), id="demo", markup=False)
        yield LeanFooter()

    def _demo_text(self) -> str:
        lines = [f"演示账户（密码均为 {DEMO_PASSWORD}）："]
        lines += [f"  {name:<13}{role}　{whose}" for name, role, whose in demo_accounts(self.app.profile.key)]
        return "\n".join(lines)

    def on_mount(self) -> None:
        self.ssh_key = self.app.ssh_key()
        if self.ssh_key is not None:
            self._look_up_key()
        else:
            self.query_one("#username", Input).focus()
        self.set_timer(WARM_UP_DELAY_S, self._warm_up)

    # -- SSH key --------------------------------------------------------------------------
    def _look_up_key(self) -> None:
        from tui import calls

        self._set_key_form(True)
        self.query_one("#login-message", PlainStatic).set_text("正在识别SSH密钥…")
        fingerprint = self.ssh_key.fingerprint

        def look_up(db, _actor):
            from services.identity import ssh_login

            return ssh_login.key_identity(db, fingerprint)

        calls.run(self, look_up, done=self._key_known, failed=lambda _e: self._leave_key_form(""), group="login")

    def _key_known(self, known) -> None:
        if known is None:
            self._leave_key_form("")
            return
        self.method = "ssh"
        self.query_one("#method-title", Static).update(METHOD_LABELS["ssh"][1])
        self.query_one("#username", Input).value = known.username
        self.query_one("#login-message", PlainStatic).set_text(
            f"已识别SSH密钥（{known.real_name}，{known.role_label}），请输入密码")
        self.refresh_bindings()

    def _set_key_form(self, on: bool) -> None:
        self.query_one("#username", Input).disabled = on
        self.query_one("#row-captcha").display = not on
        self.query_one("#captcha-row").display = not on
        self.query_one("#password" if on else "#username", Input).focus()

    def _leave_key_form(self, message: str) -> None:
        """The ordinary form: the key is unbound, was unbound meanwhile, or the clerk pressed F2."""
        self.ssh_key = None
        self.method = "password"
        self.query_one("#method-title", Static).update(METHOD_LABELS["password"][1])
        self.query_one("#username", Input).value = ""
        self._set_key_form(False)
        self.query_one("#login-message", PlainStatic).set_text(message)
        self.refresh_bindings()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        import services.identity.auth  # noqa: F401  (load the back end while the clerk types)

        self.app.database()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter_field":
            return isinstance(self.focused, Input) and self.focused.id in FIELDS
        if action == "switch_method":
            return self.method == "ssh" or len(self.app.profile.login_methods) > 1
        if action == "new_captcha":
            return self.ssh_key is None
        if action == "mobile_login":
            return self.app.profile.mobile_login and self.ssh_key is None
        if action == "confirm_legacy":
            return "key" in self.app.profile.login_methods
        # One F3 key, worded as each manual words it: 未认证用户注册 (Beijing), 企业注册 (Shanghai).
        if action == "register":
            return self.app.profile.key != "shanghai"
        if action == "register_enterprise":
            return self.app.profile.key == "shanghai"
        return True

    # -- registration and first-login confirmation (BJ-01..03, BJ-07, SH-01..04) ---------------
    def action_register(self) -> None:
        from screens.identity.registration_flow import start

        start(self.app, self._registered)

    def action_register_enterprise(self) -> None:
        self.action_register()

    def _registered(self, username: str | None) -> None:
        self._clear_messages()
        if username:
            self.query_one("#username", Input).value = username
            self.query_one("#login-message", PlainStatic).set_text("注册成功，请输入登录密码和验证码登录")
            self.query_one("#password", Input).focus()
        else:
            self.query_one("#username", Input).focus()

    def action_confirm_legacy(self) -> None:
        from screens.identity.legacy_confirm import LegacyConfirmScreen

        def confirmed(cert_no: str | None) -> None:
            if cert_no:
                if self.method != "key":
                    self.action_switch_method()
                self.query_one("#username", Input).value = cert_no
                self.query_one("#login-message", PlainStatic).set_text("信息确认成功，请用密钥登录")
                self.query_one("#password", Input).focus()

        self.app.push_screen(LegacyConfirmScreen(), confirmed)

    def action_mobile_login(self) -> None:
        from screens.identity.mobile_login import MobileLoginScreen

        def done(outcome) -> None:
            if outcome is None:
                self.query_one("#username", Input).focus()
            else:
                self._succeeded(outcome)

        self.app.push_screen(MobileLoginScreen(), done)

    # -- actions ---------------------------------------------------------------------------
    def action_new_captcha(self) -> None:
        self.captcha = Captcha()
        self.query_one("#captcha-art", Static).update(Text(draw(self.captcha.code)))
        self.query_one("#captcha", Input).value = ""

    def action_switch_method(self) -> None:
        if self.ssh_key is not None:
            self._leave_key_form("")
            return
        methods = self.app.profile.login_methods
        self.method = methods[(methods.index(self.method) + 1) % len(methods)]
        label, title = METHOD_LABELS[self.method]
        self.query_one("#row-username > .field-label", Static).update(label)
        self.query_one("#method-title", Static).update(title)
        self._clear_messages()
        self.query_one("#username", Input).focus()

    def action_enter_field(self) -> None:
        self._next_or_login_from(self.focused.id if self.focused is not None else None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._next_or_login_from(event.input.id)

    def _next_or_login_from(self, field: str) -> None:
        if field not in FIELDS:
            return
        if self.ssh_key is not None:
            if self.method == "ssh":  # only the password is asked for
                after_keys([self.query_one("#password", Input)], self.action_login)
            return
        # Only the focused field can still have keys in flight: the later fields' values are current.
        index = FIELDS.index(field)
        empty_later = [f for f in FIELDS[index + 1:] if not self.query_one(f"#{f}", Input).value]
        if empty_later:
            self.set_focus(self.query_one(f"#{empty_later[0]}", Input))
        else:
            after_keys([self.query_one(f"#{f}", Input) for f in FIELDS], self.action_login)

    def action_login(self) -> None:
        self._clear_messages()
        self.query_one("#login-message", PlainStatic).set_text("正在登录…")
        values = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        if self.method == "ssh":
            self._authenticate_key(values["password"])
        else:
            self._authenticate(values, self.method, self.captcha)

    def _authenticate_key(self, password: str) -> None:
        from tui import calls

        fingerprint = self.ssh_key.fingerprint

        def authenticate(db, _actor):
            from services.identity import ssh_login

            return ssh_login.authenticate_key(db, fingerprint, password)

        calls.run(self, authenticate, done=self._succeeded, failed=self.show_error, group="login")

    def _authenticate(self, values: dict[str, str], method: str, captcha: Captcha) -> None:
        from tui import calls

        before = self._before_authenticate

        def authenticate(db, _actor):
            from services.identity import auth

            before(db, values, method)
            result = auth.authenticate(db, values["username"], values["password"], method=method,
                                       captcha=captcha, captcha_answer=values["captcha"])
            actor = auth.enter(db, result, result.identities[0].identity_id) \
                if len(result.identities) == 1 and not result.otp_pending else None
            return result, actor

        calls.run(self, authenticate, done=self._succeeded, failed=self.show_error, group="login")

    @staticmethod
    def _before_authenticate(db, values: dict[str, str], method: str) -> None:
        """Rate limits per account and source, and BJ-07's first-login confirmation of a legacy key
        (in the login's worker)."""
        import os

        from services.core.errors import ServiceError
        from services.identity import legacy, ratelimit

        if values["username"].strip() and values["password"]:
            ratelimit.check_login(db, values["username"], ratelimit.source_address(os.environ))
        if method == "key" and legacy.needs_confirmation(db, None, values["username"]):
            raise ServiceError(legacy.NEEDS_CONFIRMATION, field="username")

    # -- results ---------------------------------------------------------------------------
    def show_error(self, error) -> None:
        message, field = error.message, error.field
        if self.method == "ssh" and field != "password":  # the binding or its identity went meanwhile
            self._leave_key_form(message)
            return
        self.query_one("#login-message", PlainStatic).set_text("")
        if field in FIELDS:
            self.query_one(f"#{field}-error", PlainStatic).set_text(message)
            self.query_one(f"#{field}", Input).focus()
        else:
            self.query_one("#login-message", PlainStatic).set_text(message)
        if field in ("captcha", "password"):
            self.action_new_captcha()
        if field == "password":
            self.query_one("#password", Input).value = ""

    def _succeeded(self, outcome) -> None:
        result, actor = outcome
        choose_system = self.app.profile.system_choice
        if actor is not None:  # one identity: the session starts; SH-05/SH-11's 确认选择 is shown over it
            self.app.start_session(actor, must_change_password=result.must_change_password,
                                   choose_system=choose_system)
            return
        if result.otp_pending:
            self._ask_code(result)
            return
        if choose_system and not result.must_change_password:
            # SH-05 as the manual orders it: the system first, then (同一账号有多重身份) the role
            from screens.identity.system_choice import SystemChoiceScreen

            def chosen(confirmed: bool | None) -> None:
                if confirmed:
                    self._choose_identity(result, choose_system=False)
                else:
                    self._cancelled("已取消登录，请重新登录")

            self.app.push_screen(SystemChoiceScreen(before_session=True), chosen)
            return
        self._choose_identity(result, choose_system=choose_system)

    def _choose_identity(self, result, *, choose_system: bool) -> None:
        from screens.identity.identity import IdentityScreen  # loads the back end: not before the first frame

        def chosen(actor) -> None:
            if actor is None:  # the clerk backed out of the choice
                self._cancelled("已取消选择身份，请重新登录")
                return
            self.app.start_session(actor, must_change_password=result.must_change_password,
                                   choose_system=choose_system)

        self.app.push_screen(IdentityScreen(result), chosen)

    def _cancelled(self, message: str) -> None:
        self.query_one("#login-message", PlainStatic).set_text(message)
        self.query_one("#password", Input).value = ""
        self.action_new_captcha()
        self.query_one("#password", Input).focus()

    def _ask_code(self, result) -> None:
        """BY-08: the authenticator's code after the password (or key); then on as before."""
        from screens.identity.otp_code import LOGIN_HINT, CodeDialog

        def verify(db, _actor, code: str):
            from services.identity import auth, otp

            passed = otp.verify_login_code(db, result, code)
            actor = auth.enter(db, passed, passed.identities[0].identity_id) if len(passed.identities) == 1 \
                else None
            return passed, actor

        def verified(outcome) -> None:
            if outcome is None:
                self._cancelled("已取消登录，请重新登录")
                return
            self._succeeded(outcome)

        self.app.push_screen(CodeDialog("动态口令", LOGIN_HINT, verify), verified)

    def _clear_messages(self) -> None:
        for field in FIELDS:
            self.query_one(f"#{field}-error", PlainStatic).set_text("")
        self.query_one("#login-message", PlainStatic).set_text("")

