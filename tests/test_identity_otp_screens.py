"""动态口令 (BY-08) driven by keys at 80×24: enrol from one's own screen (the secret read off the screen,
the code computed with pyotp), log out, log in with a code, a reused code refused, a recovery code that
works once, the code after an SSH key's password, and the administrator's Ctrl+R reset in 操作员管理."""

from __future__ import annotations

import time

import pyotp
from sqlalchemy import select

from models import BusinessLog, User
from screens.admin.operators import OperatorListScreen
from screens.common.dialogs import ConfirmDialog
from screens.identity.login import LoginScreen
from screens.identity.otp_account import OtpAccountScreen
from screens.identity.otp_code import CodeDialog
from screens.identity.otp_enrol import EnrolScreen, RecoveryCodesScreen
from screens.shell.home import HomeScreen
from services.core.functions import functions_for
from services.demo.accounts import DEMO_PASSWORD
from services.identity import otp
from tests.pilot import login, settle, text_of, type_text, wait_for
from tui.row_list import RowList

SIZE = (80, 24)


async def open_function(pilot, key: str) -> None:
    keys = [f.key for f in functions_for(pilot.app.actor)]
    await pilot.press(*["down"] * keys.index(key), "enter")
    await settle(pilot)


async def enter_code(pilot, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")
    await settle(pilot)


def decode_qr(drawing: str) -> str:
    """Read the half-block drawing as a phone would: as an image, with a real decoder (zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    top, bottom = {"█": 1, "▀": 1}, {"█": 1, "▄": 1}
    rows = []
    for line in drawing.split("\n"):
        rows += [[top.get(c, 0) for c in line], [bottom.get(c, 0) for c in line]]
    scale = 6
    image = Image.new("L", (len(rows[0]) * scale, len(rows) * scale), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, found
    return found[0].text


def user(db, username: str) -> User:
    with db.read() as s:
        return s.execute(select(User).where(User.username == username)).scalar_one()


def business_types(db) -> list[str]:
    with db.read() as s:
        return list(s.execute(select(BusinessLog.business_type).order_by(BusinessLog.id)).scalars())


async def test_enrol_then_log_in_with_codes_and_a_recovery_code(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        await open_function(pilot, "otp")
        assert isinstance(app.screen, OtpAccountScreen)
        assert "未启用" in text_of(app, "#state")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, EnrolScreen)
        secret = text_of(app, "#secret").replace(" ", "").replace("\n", "")
        qr = text_of(app, "#qr")
        assert decode_qr(qr) == f"otpauth://totp/wxzj:qyadmin?secret={secret}&issuer=wxzj"
        assert app.screen.query_one("#qr").region.bottom <= 23  # the code fits above the footer
        assert user(demo_db, "qyadmin").totp_confirmed_at is None
        totp = pyotp.TOTP(secret)
        await enter_code(pilot, "000000" if totp.now() != "000000" else "111111")
        assert isinstance(app.screen, EnrolScreen) and "动态口令错误" in text_of(app, "#code-error")
        enrol_code = totp.now()
        await enter_code(pilot, enrol_code)
        assert isinstance(app.screen, RecoveryCodesScreen)
        recovery = text_of(app, "#codes").split()
        assert len(recovery) == 10
        assert user(demo_db, "qyadmin").totp_confirmed_at is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OtpAccountScreen) and "已启用" in text_of(app, "#state")
        assert "剩余恢复码 10 个" in text_of(app, "#state")

        await pilot.press("escape", "f10")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        assert isinstance(app.screen, CodeDialog)
        await enter_code(pilot, enrol_code)  # the step the enrolment spent
        assert isinstance(app.screen, CodeDialog)
        assert "已使用过" in text_of(app, "#code-error")
        next_code = totp.at(time.time() + 30)  # one step ahead is inside the window
        await enter_code(pilot, next_code)
        assert isinstance(app.screen, HomeScreen) and app.actor.username == "qyadmin"

        await pilot.press("f10")
        await settle(pilot)
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await enter_code(pilot, next_code)
        assert isinstance(app.screen, CodeDialog) and "已使用过" in text_of(app, "#code-error")
        await enter_code(pilot, recovery[0])
        assert isinstance(app.screen, HomeScreen)

        await pilot.press("f10")
        await settle(pilot)
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await enter_code(pilot, recovery[0])
        assert isinstance(app.screen, CodeDialog) and text_of(app, "#code-error") == "恢复码错误或已使用"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and "已取消登录" in text_of(app, "#login-message")
        assert app.actor is None
    types = business_types(demo_db)
    assert "启用动态口令" in types and types.count("使用恢复码登录") == 1
    assert user(demo_db, "qyadmin").failed_attempts == 1  # the spent recovery code (right passwords do not count)


async def test_disable_from_the_own_screen(make_demo_app, demo_db, actor_of):
    actor = actor_of("qyjb")
    enrolment = otp.begin_enrolment(demo_db, actor)
    spare = otp.confirm_enrolment(demo_db, actor, pyotp.TOTP(enrolment.secret).now())
    totp = pyotp.TOTP(enrolment.secret)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        login_code = totp.at(time.time() + 30)
        await enter_code(pilot, login_code)
        assert isinstance(app.screen, HomeScreen)
        await open_function(pilot, "otp")
        assert await wait_for(pilot, lambda: "已启用" in text_of(app, "#state"))
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, CodeDialog)
        await enter_code(pilot, login_code)  # spent by the login
        assert "已使用过" in text_of(app, "#code-error")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OtpAccountScreen)
        assert user(demo_db, "qyjb").totp_secret is not None
        await pilot.press("f3")
        await settle(pilot)
        await enter_code(pilot, spare[0])
        assert isinstance(app.screen, OtpAccountScreen)
        assert await wait_for(pilot, lambda: "未启用" in text_of(app, "#state"))
    assert user(demo_db, "qyjb").totp_secret is None
    assert "停用动态口令" in business_types(demo_db)


async def test_the_administrator_resets_an_operator_with_ctrl_r(make_sh_app, sh_db, sh_actor):
    operator = sh_actor("qyjb")
    enrolment = otp.begin_enrolment(sh_db, operator)
    otp.confirm_enrolment(sh_db, operator, pyotp.TOTP(enrolment.secret).now())
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await open_function(pilot, "operators")
        assert isinstance(app.screen, OperatorListScreen)
        rows = app.screen.query_one(RowList)
        index = [row[1] for row in rows.rows].index("qyjb")
        await pilot.press(*["down"] * index, "ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and "qyjb" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, OperatorListScreen)
    assert user(sh_db, "qyjb").totp_secret is None
    assert "重置动态口令" in business_types(sh_db)


async def test_with_several_identities_the_choice_follows_the_code(make_demo_app, demo_db, actor_of):
    from screens.identity.identity import IdentityScreen

    actor = actor_of("duoshenfen")
    enrolment = otp.begin_enrolment(demo_db, actor)
    otp.confirm_enrolment(demo_db, actor, pyotp.TOTP(enrolment.secret).now())
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "duoshenfen", DEMO_PASSWORD)
        assert isinstance(app.screen, CodeDialog)
        await enter_code(pilot, pyotp.TOTP(enrolment.secret).at(time.time() + 30))
        assert isinstance(app.screen, IdentityScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.actor.role == "enterprise_operator"


async def test_over_ssh_a_bound_key_asks_for_the_code_after_the_password(make_demo_app, demo_db, actor_of, tmp_path,
                                                                         monkeypatch):
    from services.admin import ssh_keys
    from tests.admin_fixtures import identity_of
    from tests.ssh_keys_files import make_key, ssh_environ, sshd_auth_file

    line, _fingerprint = make_key(tmp_path)
    clerk = identity_of(demo_db, "qyjb")
    ssh_keys.bind_key(demo_db, actor_of("qyadmin"), clerk.id, line)
    operator = actor_of("qyjb")
    enrolment = otp.begin_enrolment(demo_db, operator)
    otp.confirm_enrolment(demo_db, operator, pyotp.TOTP(enrolment.secret).now())
    with sshd_auth_file(f"publickey {' '.join(line.split()[:2])}\n") as path:
        for name, value in ssh_environ(path).items():
            monkeypatch.setenv(name, value)
        app = make_demo_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert await wait_for(pilot, lambda: screen.method == "ssh")
            await type_text(pilot, DEMO_PASSWORD)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CodeDialog) and app.actor is None
            await enter_code(pilot, pyotp.TOTP(enrolment.secret).at(time.time() + 30))
            assert isinstance(app.screen, HomeScreen) and app.actor.identity_id == clerk.id
    with demo_db.read() as s:
        last = s.execute(select(BusinessLog).where(BusinessLog.business_type == "登录")
                         .order_by(BusinessLog.id.desc())).scalars().first()
    assert "SSH密钥" in last.summary
