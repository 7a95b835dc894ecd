"""SH-11 物企下属人员或小区管理处用户登录 (Shanghai): 手机号码, 密码, 手机验证码 through the outbox; wrong and expired
codes, wrong password and lockout, rate limits per number and per source, the first login's forced password
change (twice, the strength rules, not the old one), then 确认选择 of the system; codes never logged."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from models import AuditEntry, BusinessLog, OutboxMessage, User, VerificationCode
from screens.identity.change_password import ChangePasswordScreen
from screens.identity.login import LoginScreen
from screens.identity.mobile_login import MobileLoginScreen
from screens.identity.system_choice import SystemChoiceScreen
from screens.shell.home import HomeScreen
from services.core.clock import utcnow
from services.core.errors import ServiceError, ValidationError
from services.identity import auth, mobile_login
from services.identity.passwords import verify_password
from services.notify import codes
from tests.builders import PASSWORD
from tests.pilot import settle, text_of, type_text, wait_for

MOBILE = "13916000001"
NEW_PASSWORD = "Xinmima@2026"


@pytest.fixture
def office(build):
    enterprise = build.organisation(name="申大物业有限公司")
    office = build.organisation(kind="office", name="申大物业玉兰花园管理处", parent_id=enterprise.id)
    build.user("87625", roles=(("office_operator", office.id),), real_name="曹伟仙", mobile=MOBILE,
               must_change_password=True)
    build.user("qyadmin", roles=(("enterprise_admin", enterprise.id),), real_name="王芳", mobile="13916000009")
    return office


def outbox_code(db, mobile: str = MOBILE) -> str:
    with db.read() as s:
        text = s.execute(select(OutboxMessage.text).where(OutboxMessage.recipient == mobile)
                         .order_by(OutboxMessage.id.desc())).scalars().first()
    return re.search(r"(\d{6})", text).group(1)


def login_service(db, code: str, password: str = PASSWORD, mobile: str = MOBILE, **kw):
    return mobile_login.authenticate(db, None, mobile, password, code, **kw)


# -- the service ----------------------------------------------------------------------------------------------

def test_code_then_login_offers_the_office_identity(db, office):
    assert mobile_login.send_code(db, None, MOBILE) == "139****0001"
    code = outbox_code(db)
    result = login_service(db, code)
    assert result.must_change_password and [i.role for i in result.identities] == ["office_operator"]
    with db.read() as s:
        assert code not in s.execute(select(OutboxMessage.text)).scalar_one()  # used: starred out
    with pytest.raises(ValidationError, match=codes.EXPIRED):  # one use
        login_service(db, code)


def test_wrong_code_counts_and_five_wrong_end_the_code(db, office):
    mobile_login.send_code(db, None, MOBILE)
    code = outbox_code(db)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError, match=codes.WRONG) as refused:
        login_service(db, wrong)
    assert refused.value.field == "code"
    for _ in range(3):
        with pytest.raises(ValidationError):
            login_service(db, wrong)
    with pytest.raises(ValidationError, match=codes.TOO_MANY):
        login_service(db, wrong)
    with pytest.raises(ValidationError, match=codes.TOO_MANY):  # even the right one now
        login_service(db, code)


def test_expired_code_is_refused(db, office):
    mobile_login.send_code(db, None, MOBILE)
    code = outbox_code(db)
    with db.write() as s:
        s.execute(update(VerificationCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(ValidationError, match=codes.EXPIRED):
        login_service(db, code)


def test_wrong_password_is_refused_before_the_code_and_locks_after_five(db, office):
    mobile_login.send_code(db, None, MOBILE)
    code = outbox_code(db)
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError, match=mobile_login.BAD_CREDENTIALS):
            login_service(db, code, password="Wrong@2026")
    with pytest.raises(auth.AccountLocked):
        login_service(db, code, password="Wrong@2026")
    with pytest.raises(auth.AccountLocked):  # the right password too, until the lock ends
        login_service(db, code)


def test_unknown_number_answers_alike_and_sends_nothing(db, office):
    assert mobile_login.send_code(db, None, "13700000000") == "137****0000"
    with db.read() as s:
        assert s.execute(select(OutboxMessage)).first() is None
    with pytest.raises(ServiceError, match=mobile_login.BAD_CREDENTIALS):
        login_service(db, "123456", mobile="13700000000")


def test_an_administrator_has_no_subordinate_identity(db, office):
    mobile_login.send_code(db, None, "13916000009")
    with db.read() as s:
        assert s.execute(select(OutboxMessage)).first() is None  # no code for an account that cannot use it
    with pytest.raises(ServiceError, match=mobile_login.BAD_CREDENTIALS):
        login_service(db, "123456", mobile="13916000009")


def test_sending_is_rate_limited_per_number_and_per_source(db, office):
    mobile_login.send_code(db, None, MOBILE, source="10.0.0.7")
    with pytest.raises(ValidationError, match=codes.TOO_SOON):  # one a minute for the number
        mobile_login.send_code(db, None, MOBILE, source="10.0.0.7")
    for n in range(mobile_login.ratelimit.LIMITS["login_code.source"][0] - 1):
        mobile_login.send_code(db, None, f"1370000{n:04d}", source="10.0.0.8")
    mobile_login.send_code(db, None, "13799999999", source="10.0.0.8")
    with pytest.raises(ValidationError, match=mobile_login.TOO_OFTEN):
        mobile_login.send_code(db, None, "13799999998", source="10.0.0.8")
    mobile_login.send_code(db, None, "13799999998", source="10.0.0.9")  # another source still may


def test_login_attempts_are_rate_limited_per_source(db, office):
    limit = mobile_login.ratelimit.LIMITS["login.source"][0]
    for n in range(limit):
        with pytest.raises(ServiceError):
            login_service(db, "123456", mobile=f"1370000{n:04d}", source="10.0.0.5")
    with pytest.raises(ValidationError, match="过于频繁"):
        login_service(db, "123456", source="10.0.0.5")


def test_bad_input_has_its_field(db, office):
    for mobile, password, code, field in (("1391600000", PASSWORD, "123456", "mobile"),
                                          (MOBILE, "", "123456", "password"), (MOBILE, PASSWORD, "", "code")):
        with pytest.raises(ValidationError) as refused:
            mobile_login.authenticate(db, None, mobile, password, code)
        assert refused.value.field == field
    with pytest.raises(ValidationError) as refused:
        mobile_login.send_code(db, None, "12345")
    assert refused.value.field == "mobile"


# -- the screens ----------------------------------------------------------------------------------------------

async def open_mobile_login(pilot) -> None:
    await settle(pilot)
    assert pilot.app.screen.check_action("mobile_login", ())
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MobileLoginScreen)


async def test_first_login_by_mobile_changes_the_password_then_chooses_the_system(make_app, db, office, caplog):
    caplog.set_level(logging.DEBUG)
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_mobile_login(pilot)
        await type_text(pilot, MOBILE)
        await pilot.press("enter")
        await type_text(pilot, PASSWORD)
        await pilot.press("f5")  # 【获取验证码】
        await settle(pilot)
        assert "已发送至 139****0001" in text_of(app, "#form-message")
        code = outbox_code(db)
        wrong = "000000" if code != "000000" else "111111"
        await type_text(pilot, wrong)
        await pilot.press("enter")  # Enter on the last field is 【登录】
        await settle(pilot)
        assert text_of(app, "#code-error") == codes.WRONG
        app.screen.query_one("#code").value = code
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ChangePasswordScreen) and app.screen.forced
        await pilot.press("escape")  # no way round it
        assert isinstance(app.screen, ChangePasswordScreen)
        for new, confirm, field, message in (
                ("abcdefgh1", "abcdefgh1", "new", "至少三类"),
                (PASSWORD, PASSWORD, "new", "原密码"),
                (NEW_PASSWORD, NEW_PASSWORD + "x", "confirm", "两次输入的密码不一致")):
            for key, value in (("old", PASSWORD), ("new", new), ("confirm", confirm)):
                app.screen.query_one(f"#{key}").value = value
            await pilot.press("f9")
            await settle(pilot)
            assert message in text_of(app, f"#{field}-error"), text_of(app, f"#{field}-error")
        app.screen.query_one("#confirm").value = NEW_PASSWORD
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SystemChoiceScreen)
        assert str(app.screen.query_one("#systems").get_option_at_index(0).prompt) == "上海市房屋维修资金管理系统"
        await pilot.press("enter")  # 【确认选择】
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.role == "office_operator" and "小区管理处" in text_of(app, "#who")
    with db.read() as s:
        user = s.execute(select(User).where(User.mobile == MOBILE)).scalar_one()
        assert verify_password(user.password_hash, NEW_PASSWORD) and not user.must_change_password
        logged = [f"{b.summary}" for b in s.execute(select(BusinessLog)).scalars()]
        audited = [str(a.detail) for a in s.execute(select(AuditEntry)).scalars()]
        assert {"登录", "修改密码"} <= set(s.execute(select(BusinessLog.business_type)).scalars())
        assert code not in " ".join(s.execute(select(OutboxMessage.text)).scalars())
    for secret in (code, PASSWORD, NEW_PASSWORD):
        assert secret not in caplog.text and not any(secret in line for line in logged + audited)


async def test_wrong_password_by_mobile_is_said_at_the_password(make_app, db, office):
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_mobile_login(pilot)
        for key, value in (("mobile", MOBILE), ("password", "Wrong@2026"), ("code", "123456")):
            app.screen.query_one(f"#{key}").value = value
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#password-error") == mobile_login.BAD_CREDENTIALS
        assert text_of(app, "#password") == ""
        await pilot.press("f2")  # back to the user-name login
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_beijing_has_no_mobile_login(make_app, office):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.check_action("mobile_login", ())
        await pilot.press("f2")  # the key login, as before
        assert app.screen.method == "key"
