from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEntry, BusinessLog, User
from services.identity import auth
from services.core.business_log import verify_audit_chain
from services.identity.captcha import Captcha
from services.core.clock import utcnow
from services.core.errors import ServiceError, ValidationError
from services.identity.passwords import hash_password, needs_rehash
from tests.builders import PASSWORD

pytestmark = pytest.mark.both_backends


@pytest.fixture
def clerk(build):
    org = build.organisation()
    return build.user("clerk", roles=(("enterprise_operator", org.id),)), org


def test_login_success_records_business_log(db, clerk):
    user, org = clerk
    result = auth.authenticate(db, "clerk", PASSWORD)
    assert [i.organisation_id for i in result.identities] == [org.id]
    actor = auth.enter(db, result, result.identities[0].identity_id)
    assert actor.organisation_id == org.id and actor.role == "enterprise_operator"
    with db.read() as s:
        log = s.execute(select(BusinessLog)).scalars().one()
        assert (log.business_type, log.user_id, log.organisation_id) == ("登录", user.id, org.id)
        assert s.execute(select(AuditEntry.action)).scalars().all() == ["登录"]
        assert s.get(User, user.id).last_login_at is not None


def test_unknown_user_and_wrong_password_read_the_same(db, clerk):
    with pytest.raises(ServiceError) as unknown:
        auth.authenticate(db, "nobody", PASSWORD)
    with pytest.raises(ServiceError) as wrong:
        auth.authenticate(db, "clerk", "wrong-password1")
    assert unknown.value.message == wrong.value.message == auth.BAD_CREDENTIALS


@pytest.mark.parametrize(
    "username,password,field,message",
    [("", PASSWORD, "username", "请输入用户名"), ("clerk", "", "password", "请输入密码"),
     ("x" * 41, PASSWORD, "username", "用户名不能超过40个字符"), ("  ", PASSWORD, "username", "请输入用户名")],
)
def test_required_and_too_long_fields(db, clerk, username, password, field, message):
    with pytest.raises(ValidationError) as err:
        auth.authenticate(db, username, password)
    assert (err.value.field, err.value.message) == (field, message)


def test_wrong_captcha_is_not_a_failed_attempt(db, clerk):
    captcha = Captcha("AC34")
    with pytest.raises(ValidationError) as err:
        auth.authenticate(db, "clerk", "bad-password1", captcha=captcha, captcha_answer="ACX4")
    assert err.value.field == "captcha"
    with db.read() as s:
        assert s.get(User, clerk[0].id).failed_attempts == 0
    assert auth.authenticate(db, "clerk", PASSWORD, captcha=captcha, captcha_answer="ac34 ").user_id == clerk[0].id


def test_five_failures_lock_for_fifteen_minutes_then_expire(db, clerk):
    now = utcnow()
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError):
            auth.authenticate(db, "clerk", "wrong-password1", now=now)
    with pytest.raises(auth.AccountLocked) as locked:
        auth.authenticate(db, "clerk", "wrong-password1", now=now)
    assert locked.value.until == now + timedelta(minutes=15)
    assert "后再试" in locked.value.message
    # Even the right password is refused while locked.
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(db, "clerk", PASSWORD, now=now + timedelta(minutes=14))
    result = auth.authenticate(db, "clerk", PASSWORD, now=now + timedelta(minutes=15, seconds=1))
    assert result.user_id == clerk[0].id
    with db.read() as s:
        user = s.get(User, clerk[0].id)
        assert (user.failed_attempts, user.locked_until) == (0, None)
        assert s.execute(select(BusinessLog.business_type)).scalars().all() == ["账户锁定"]
        assert verify_audit_chain(s) == []


def test_success_resets_the_failure_counter(db, clerk):
    for _ in range(3):
        with pytest.raises(ServiceError):
            auth.authenticate(db, "clerk", "wrong-password1")
    auth.authenticate(db, "clerk", PASSWORD)
    with db.read() as s:
        assert s.get(User, clerk[0].id).failed_attempts == 0


def test_outdated_hash_is_rehashed_on_login(db, build):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    assert needs_rehash(weak)
    org = build.organisation()
    user = build.user("old", roles=(("enterprise_operator", org.id),), password_hash=weak)
    auth.authenticate(db, "old", PASSWORD)
    with db.read() as s:
        stored = s.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and not needs_rehash(stored)


def test_hashes_are_argon2id_and_salted():
    first, second = hash_password("Abc12345"), hash_password("Abc12345")
    assert first.startswith("$argon2id$") and first != second


def test_disabled_and_identityless_accounts_are_refused(db, build):
    org = build.organisation()
    build.user("gone", roles=(("enterprise_operator", org.id),), status="disabled")
    build.user("bare", roles=())
    with pytest.raises(ServiceError, match="已停用"):
        auth.authenticate(db, "gone", PASSWORD)
    with pytest.raises(ServiceError, match="没有可用的身份"):
        auth.authenticate(db, "bare", PASSWORD)


def test_key_login_uses_the_certificate_number(db, build):
    org = build.organisation()
    build.user("keyholder", roles=(("enterprise_admin", org.id),), cert_no="BJ0012345678")
    assert auth.authenticate(db, "BJ0012345678", PASSWORD, method="key").username == "keyholder"
    with pytest.raises(ServiceError, match="用户名或密码错误"):
        auth.authenticate(db, "keyholder", PASSWORD, method="key")


def test_several_identities_are_offered_and_enter_refuses_a_foreign_one(db, build):
    a, b = build.organisation(), build.organisation()
    build.user("two", roles=(("enterprise_admin", a.id), ("enterprise_operator", b.id)), mobile="13800000001")
    result = auth.authenticate(db, "two", PASSWORD)
    assert [i.role for i in result.identities] == ["enterprise_admin", "enterprise_operator"]
    assert auth.enter(db, result, result.identities[1].identity_id).organisation_id == b.id
    with pytest.raises(ServiceError):
        auth.enter(db, result, 999_999)


def test_unlock_and_logout(db, clerk):
    result = auth.authenticate(db, "clerk", PASSWORD)
    actor = auth.enter(db, result, result.identities[0].identity_id)
    with pytest.raises(ServiceError, match="密码错误"):
        auth.unlock(db, actor, "nope-nope1")
    auth.unlock(db, actor, PASSWORD)
    auth.logout(db, actor)
    with db.read() as s:
        assert s.execute(select(BusinessLog.business_type).order_by(BusinessLog.id)).scalars().all() == [
            "登录", "退出登录"]
        assert s.get(User, actor.user_id).failed_attempts == 0
