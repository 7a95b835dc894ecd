"""BY-08 at the idle lock: an account with an authenticator unlocks with its password AND its 6-digit code
(or a recovery code), with the login's window, reuse and lockout rules; without one, the password alone."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select

from models import AuditEntry, BusinessLog, User
from screens.identity.lock import LockScreen
from screens.identity.login import LoginScreen
from screens.identity.otp_code import CodeDialog
from screens.shell.home import HomeScreen
from services.core.errors import ServiceError, ValidationError
from services.identity import auth, otp, otp_codes
from tests.builders import PASSWORD
from tests.pilot import login, settle, text_of, type_text, wait_for

NOW = datetime(2026, 12, 1, 9, 0, 15, tzinfo=timezone.utc)
IDLE_MINUTES = 0.01


@pytest.fixture
def clerk(build):
    org = build.organisation(name="安居物业服务有限公司")
    return build.user("qyjb", roles=(("enterprise_operator", org.id),), real_name="王芳")


def enrolled(db, when: datetime = NOW):
    """The clerk's actor, with an authenticator confirmed at `when`, and its TOTP."""
    result = auth.authenticate(db, "qyjb", PASSWORD)
    actor = auth.enter(db, result, result.identities[0].identity_id)
    enrolment = otp.begin_enrolment(db, actor)
    totp = pyotp.TOTP(enrolment.secret)
    recovery = otp.confirm_enrolment(db, actor, totp.at(when), now=when)
    return actor, totp, recovery


def counter(db, user_id: int) -> tuple[int, datetime | None]:
    with db.read() as s:
        user = s.get(User, user_id)
        return user.failed_attempts, user.locked_until


def unlocks(db) -> list:
    with db.read() as s:
        details = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "解除锁屏")).scalars().all()
    return [json.loads(d) if isinstance(d, str) else d for d in details]


def test_the_password_alone_no_longer_unlocks(db, clerk):
    actor, totp, _ = enrolled(db)
    assert auth.unlock_needs_code(db, actor)
    with pytest.raises(ValidationError, match="请输入动态口令") as missing:
        auth.unlock(db, actor, PASSWORD, now=NOW)
    assert missing.value.field == "code"
    assert counter(db, clerk.id) == (0, None)  # asked before anything was tried
    later = NOW + timedelta(seconds=30)
    auth.unlock(db, actor, PASSWORD, totp.at(later), now=later)
    assert counter(db, clerk.id) == (0, None) and len(unlocks(db)) == 1


def test_a_wrong_password_is_refused_before_the_code(db, clerk):
    actor, totp, _ = enrolled(db)
    later = NOW + timedelta(seconds=30)
    with pytest.raises(ServiceError, match="密码错误") as wrong:
        auth.unlock(db, actor, "wrong-pass1", totp.at(later), now=later)
    assert wrong.value.field == "password" and counter(db, clerk.id)[0] == 1
    auth.unlock(db, actor, PASSWORD, totp.at(later), now=later)  # the code was not spent by the refusal
    assert counter(db, clerk.id) == (0, None)


def test_reused_and_out_of_window_codes_are_refused(db, clerk):
    actor, totp, _ = enrolled(db)
    with pytest.raises(ServiceError) as reused:  # the step the enrolment spent
        auth.unlock(db, actor, PASSWORD, totp.at(NOW), now=NOW)
    assert reused.value.message == otp_codes.REUSED_CODE and reused.value.field == "code"
    far = NOW + timedelta(minutes=5)
    with pytest.raises(ServiceError) as stale:
        auth.unlock(db, actor, PASSWORD, totp.at(NOW + timedelta(seconds=30)), now=far)
    assert stale.value.message == otp_codes.WRONG_CODE
    assert counter(db, clerk.id)[0] == 2 and unlocks(db) == []  # each wrong code counted, the passwords not


def test_wrong_codes_lock_the_account(db, clerk):
    actor, totp, _ = enrolled(db)
    later = NOW + timedelta(seconds=30)
    wrong = f"{(int(totp.at(later)) + 1) % 1_000_000:06d}"
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError, match="错误或已过期"):
            auth.unlock(db, actor, PASSWORD, wrong, now=later)
    with pytest.raises(auth.AccountLocked, match="已锁定"):
        auth.unlock(db, actor, PASSWORD, wrong, now=later)
    with pytest.raises(auth.AccountLocked):  # now even the right password and code
        auth.unlock(db, actor, PASSWORD, totp.at(later), now=later)
    with db.read() as s:
        assert "账户锁定" in s.execute(select(BusinessLog.business_type)).scalars().all()


def test_a_recovery_code_unlocks_once(db, clerk):
    actor, _totp, recovery = enrolled(db)
    auth.unlock(db, actor, PASSWORD, recovery[0], now=NOW)
    with pytest.raises(ServiceError) as again:
        auth.unlock(db, actor, PASSWORD, recovery[0], now=NOW)
    assert again.value.message == otp_codes.WRONG_RECOVERY
    assert unlocks(db) == [{"with": "恢复码"}]
    with db.read() as s:
        summaries = s.execute(select(BusinessLog.summary).where(BusinessLog.business_type == "使用恢复码解锁")).scalars()
        assert [f"剩余恢复码{len(recovery) - 1}个" in x for x in summaries] == [True]


def test_without_an_authenticator_the_password_unlocks(db, clerk):
    result = auth.authenticate(db, "qyjb", PASSWORD)
    actor = auth.enter(db, result, result.identities[0].identity_id)
    assert not auth.unlock_needs_code(db, actor)
    auth.unlock(db, actor, PASSWORD)
    assert len(unlocks(db)) == 1


async def test_the_lock_screen_asks_for_the_code(make_app, db, clerk):
    step = time.time()
    _, totp, _ = enrolled(db, datetime.fromtimestamp(step - 30, timezone.utc))
    app = make_app(idle_lock_minutes=IDLE_MINUTES)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        assert isinstance(app.screen, CodeDialog)
        await type_text(pilot, totp.at(step))
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None  # in (the idle lock may already be over the home screen)
        assert await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await settle(pilot)
        assert app.screen.query_one("#row-code").display and "6位动态口令" in text_of(app, "#lock-hint")
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")  # on to the code
        assert app.screen.focused.id == "code"
        await type_text(pilot, totp.at(step))  # the login's step: used already
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert text_of(app, "#code-error") == otp_codes.REUSED_CODE and text_of(app, "#code") == ""
        await type_text(pilot, totp.at(step + 30))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert counter(db, clerk.id) == (0, None)
    assert unlocks(db) == [{"with": "动态口令"}]


async def _in_with_a_recovery_code_then_locked(pilot, code: str) -> None:
    """Log in (password, then a recovery code for the second factor) and wait for the idle lock."""
    await login(pilot, "qyjb", PASSWORD)
    await type_text(pilot, code)
    await pilot.press("enter")
    await settle(pilot)
    assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, LockScreen))
    await settle(pilot)


async def test_wrong_codes_at_the_lock_screen_end_the_session(make_app, db, clerk):
    step = time.time()
    _, totp, recovery = enrolled(db, datetime.fromtimestamp(step - 30, timezone.utc))
    app = make_app(idle_lock_minutes=IDLE_MINUTES)
    async with app.run_test(size=(80, 24)) as pilot:
        await _in_with_a_recovery_code_then_locked(pilot, recovery[0])
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        for n in range(auth.MAX_FAILURES):
            assert app.screen.focused.id == "code"
            await type_text(pilot, recovery[0])  # spent at the login
            await pilot.press("enter")
            await settle(pilot)
            if n < auth.MAX_FAILURES - 1:
                assert text_of(app, "#code-error") == otp_codes.WRONG_RECOVERY
        assert isinstance(app.screen, LoginScreen) and app.actor is None
    assert counter(db, clerk.id)[0] == auth.MAX_FAILURES


async def test_password_and_code_typed_ahead_reach_their_fields(make_app, db, clerk):
    """Password, Enter, code, Enter in one burst (a fast typist over SSH): the code lands in its own field."""
    from tests.pilot import burst

    step = time.time()
    _, totp, recovery = enrolled(db, datetime.fromtimestamp(step - 30, timezone.utc))
    app = make_app(idle_lock_minutes=IDLE_MINUTES)
    async with app.run_test(size=(80, 24)) as pilot:
        await _in_with_a_recovery_code_then_locked(pilot, recovery[0])
        await burst(pilot, f"{PASSWORD}\r{totp.at(step + 30)}\r")
        assert app.actor is not None and not isinstance(app.screen, LockScreen)
    assert unlocks(db) == [{"with": "动态口令"}]
