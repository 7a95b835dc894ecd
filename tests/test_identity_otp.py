"""动态口令 (BY-08) services: enrolment, the login step, reuse and window, lockout, parallel logins,
recovery codes, disable, the administrator's reset and its permission checks."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select

from models import AuditEntry, BusinessLog, RecoveryCode, User
from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationError
from services.demo.accounts import DEMO_PASSWORD
from services.identity import auth, otp, otp_codes
from services.identity.otp_secret import open_secret, seal_secret

pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 12, 1, 9, 0, 15, tzinfo=timezone.utc)


def code(secret: str, when: datetime = NOW) -> str:
    return pyotp.TOTP(secret).at(when)


def enrol(db, actor, when=NOW):
    enrolment = otp.begin_enrolment(db, actor)
    return enrolment, otp.confirm_enrolment(db, actor, code(enrolment.secret, when), now=when)


def types(db):
    with db.read() as s:
        return [r.business_type for r in s.execute(select(BusinessLog).order_by(BusinessLog.id)).scalars()]


def test_enrolment_needs_one_good_code_and_keeps_the_secret_sealed(demo_db, actor_of, caplog):
    caplog.set_level(logging.DEBUG)
    actor = actor_of("qyadmin")
    enrolment = otp.begin_enrolment(demo_db, actor)
    assert len(enrolment.secret) == 32 and enrolment.grouped.replace(" ", "") == enrolment.secret
    assert enrolment.uri.startswith("otpauth://totp/") and enrolment.secret in enrolment.uri
    assert otp.otp_status(demo_db, actor).pending
    with pytest.raises(ValidationError) as wrong:
        otp.confirm_enrolment(demo_db, actor, code(enrolment.secret, NOW - timedelta(minutes=5)), now=NOW)
    assert wrong.value.field == "code" and "动态口令错误" in wrong.value.message
    # still pending: the password alone logs in
    assert not auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD).otp_pending

    recovery = otp.confirm_enrolment(demo_db, actor, code(enrolment.secret), now=NOW)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    status = otp.otp_status(demo_db, actor)
    assert status.enabled and not status.pending and status.recovery_left == 10
    with demo_db.read() as s:
        user = s.get(User, actor.user_id)
        assert enrolment.secret not in user.totp_secret
        assert otp_codes.base32(open_secret(s, user.id, user.totp_secret)) == enrolment.secret
        hashes = s.execute(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).scalars().all()
        audit = " ".join(str(e.detail) for e in s.execute(select(AuditEntry)).scalars())
        summaries = " ".join(r.summary or "" for r in s.execute(select(BusinessLog)).scalars())
    assert not {c.replace("-", "") for c in recovery} & set(hashes)
    assert "启用动态口令" in types(demo_db)
    for secret_text in (enrolment.secret, *recovery, *(c.replace("-", "") for c in recovery)):
        assert secret_text not in audit and secret_text not in summaries and secret_text not in caplog.text
    with pytest.raises(ServiceError, match="已启用"):
        otp.begin_enrolment(demo_db, actor)


def test_login_asks_for_the_code_and_refuses_reuse_and_old_codes(demo_db, actor_of):
    enrolment, _ = enrol(demo_db, actor_of("qyadmin"))
    result = auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD)
    assert result.otp_pending
    with pytest.raises(ServiceError) as early:
        auth.enter(demo_db, result, result.identities[0].identity_id)
    assert early.value.field == "code"
    # the enrolment's own code was for this step: it cannot log in
    with pytest.raises(ServiceError, match="已使用过"):
        otp.verify_login_code(demo_db, result, code(enrolment.secret), now=NOW)
    later = NOW + timedelta(seconds=30)
    passed = otp.verify_login_code(demo_db, result, code(enrolment.secret, later), now=later)
    assert not passed.otp_pending
    assert auth.enter(demo_db, passed, passed.identities[0].identity_id).username == "qyadmin"
    with pytest.raises(ServiceError, match="已使用过") as again:
        otp.verify_login_code(demo_db, result, code(enrolment.secret, later), now=later + timedelta(seconds=5))
    assert again.value.field == "code"
    # an earlier step's code, still inside the window, is a reuse too
    with pytest.raises(ServiceError, match="已使用过"):
        otp.verify_login_code(demo_db, result, code(enrolment.secret, later), now=later + timedelta(seconds=30))
    # out of the window (two steps old) and plain wrong codes
    far = later + timedelta(seconds=90)
    with pytest.raises(ServiceError, match="错误或已过期"):
        otp.verify_login_code(demo_db, result, code(enrolment.secret, far - timedelta(seconds=60)), now=far)
    with pytest.raises(ValidationError, match="6位数字"):
        otp.verify_login_code(demo_db, result, "12345", now=far)
    # one step of drift either side is accepted
    assert not otp.verify_login_code(demo_db, result, code(enrolment.secret, far + timedelta(seconds=30)),
                                     now=far).otp_pending


def test_wrong_codes_lock_the_account(demo_db, actor_of):
    enrolment, _ = enrol(demo_db, actor_of("qyadmin"))
    result = auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD, now=NOW)  # a right password does not count
    good = code(enrolment.secret, NOW + timedelta(seconds=30))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError, match="错误或已过期"):
            otp.verify_login_code(demo_db, result, wrong, now=NOW + timedelta(seconds=30))
    with pytest.raises(ServiceError, match="已锁定") as locked:
        otp.verify_login_code(demo_db, result, wrong, now=NOW + timedelta(seconds=30))
    assert locked.value.field == "code"
    with pytest.raises(ServiceError, match="已锁定"):  # even the right code, and the right password
        otp.verify_login_code(demo_db, result, good, now=NOW + timedelta(seconds=31))
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD, now=NOW + timedelta(seconds=32))
    assert "账户锁定" in types(demo_db)


def test_a_right_password_does_not_reset_the_code_tries(demo_db, actor_of):
    enrolment, _ = enrol(demo_db, actor_of("qyadmin"))
    for _ in range(2):
        result = auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD, now=NOW)
        with pytest.raises(ServiceError):
            otp.verify_login_code(demo_db, result, "000000" if code(enrolment.secret) != "000000" else "111111",
                                  now=NOW)
    with demo_db.read() as s:
        assert s.get(User, result.user_id).failed_attempts == 2  # the two wrong codes; the passwords were right
    later = NOW + timedelta(seconds=30)
    otp.verify_login_code(demo_db, result, code(enrolment.secret, later), now=later)
    with demo_db.read() as s:
        assert s.get(User, result.user_id).failed_attempts == 0


def test_two_parallel_logins_cannot_share_one_code(demo_db, actor_of):
    enrolment, _ = enrol(demo_db, actor_of("qyadmin"))
    later = NOW + timedelta(seconds=30)
    the_code = code(enrolment.secret, later)
    results = [auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def try_login(result):
        barrier.wait()
        try:
            otp.verify_login_code(demo_db, result, the_code, now=later)
            outcomes.append("ok")
        except ServiceError as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=try_login, args=(r,)) for r in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == sorted(["ok", otp_codes.REUSED_CODE])


def test_a_recovery_code_works_once(demo_db, actor_of):
    _, recovery = enrol(demo_db, actor_of("qyadmin"))
    result = auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD)
    passed = otp.verify_login_code(demo_db, result, recovery[3].lower(), now=NOW)
    assert not passed.otp_pending
    with pytest.raises(ServiceError, match="恢复码错误或已使用") as again:
        otp.verify_login_code(demo_db, result, recovery[3], now=NOW)
    assert again.value.field == "code"
    assert "使用恢复码登录" in types(demo_db)
    actor = auth.enter(demo_db, passed, passed.identities[0].identity_id)
    assert otp.otp_status(demo_db, actor).recovery_left == 9
    with demo_db.read() as s:
        assert recovery[3] not in " ".join(r.summary or "" for r in s.execute(select(BusinessLog)).scalars())


def test_disable_and_renew_need_a_code(demo_db, actor_of):
    actor = actor_of("qyadmin")
    enrolment, recovery = enrol(demo_db, actor)
    later = NOW + timedelta(seconds=30)
    renewed = otp.renew_recovery_codes(demo_db, actor, code(enrolment.secret, later), now=later)
    assert set(renewed).isdisjoint(recovery)
    with pytest.raises(ServiceError, match="恢复码错误"):
        otp.disable_otp(demo_db, actor, recovery[0], now=later)
    with pytest.raises(ServiceError, match="已使用过"):
        otp.disable_otp(demo_db, actor, code(enrolment.secret, later), now=later)
    otp.disable_otp(demo_db, actor, renewed[0], now=later)
    assert not otp.otp_status(demo_db, actor).enabled
    assert not auth.authenticate(demo_db, "qyadmin", DEMO_PASSWORD).otp_pending
    with demo_db.read() as s:
        assert not s.execute(select(RecoveryCode).where(RecoveryCode.user_id == actor.user_id)).first()
    assert {"重新生成恢复码", "停用动态口令"} <= set(types(demo_db))


def test_administrator_resets_an_operators_authenticator(demo_db, actor_of):
    admin, operator = actor_of("qyadmin"), actor_of("qyjb")
    other_admin = actor_of("duoshenfen", 0)
    enrol(demo_db, operator)
    assert auth.authenticate(demo_db, "qyjb", DEMO_PASSWORD).otp_pending
    with pytest.raises(PermissionDenied):
        otp.reset_operator_otp(demo_db, operator, operator.identity_id)
    assert other_admin.role == "enterprise_admin" and other_admin.organisation_id != admin.organisation_id
    with pytest.raises(NotFound):  # another enterprise's administrator
        otp.reset_operator_otp(demo_db, other_admin, operator.identity_id)
    assert otp.reset_operator_otp(demo_db, admin, operator.identity_id)
    assert not auth.authenticate(demo_db, "qyjb", DEMO_PASSWORD).otp_pending
    with pytest.raises(ServiceError, match="未启用"):
        otp.reset_operator_otp(demo_db, admin, operator.identity_id)
    with demo_db.read() as s:
        row = s.execute(select(BusinessLog).where(BusinessLog.business_type == "重置动态口令")).scalar_one()
        assert row.user_id == admin.user_id


def test_an_unregistered_user_cannot_enrol(demo_db, actor_of):
    with pytest.raises(PermissionDenied):
        otp.begin_enrolment(demo_db, actor_of("zhuce"))


def test_a_sealed_secret_opens_only_for_its_user(demo_db):
    with demo_db.read() as s:
        stored = seal_secret(s, 7, b"x" * 20)
        assert len(stored) <= 200 and open_secret(s, 7, stored) == b"x" * 20
        with pytest.raises(ServiceError, match="重置动态口令"):
            open_secret(s, 8, stored)


def test_key_login_asks_for_the_code_too(db, build):
    org = build.organisation()
    build.user("keyholder", roles=(("enterprise_admin", org.id),), cert_no="BJ0012345678")
    from tests.builders import PASSWORD

    result = auth.authenticate(db, "BJ0012345678", PASSWORD, method="key")
    actor = auth.enter(db, result, result.identities[0].identity_id)
    enrolment = otp.begin_enrolment(db, actor)
    otp.confirm_enrolment(db, actor, code(enrolment.secret), now=NOW)
    result = auth.authenticate(db, "BJ0012345678", PASSWORD, method="key")
    assert result.otp_pending
    later = NOW + timedelta(seconds=30)
    assert not otp.verify_login_code(db, result, code(enrolment.secret, later), now=later).otp_pending


def test_a_bound_ssh_key_needs_the_code_too(demo_db, actor_of, tmp_path):
    from services.admin import ssh_keys
    from services.identity import ssh_login
    from tests.ssh_keys_files import make_key

    line, fingerprint = make_key(tmp_path)
    other_admin = actor_of("duoshenfen", 0)
    ssh_keys.bind_key(demo_db, other_admin, other_admin.identity_id, line)
    enrolment, _ = enrol(demo_db, other_admin)
    result, actor = ssh_login.authenticate_key(demo_db, fingerprint, DEMO_PASSWORD)
    assert actor is None and result.otp_pending
    assert [i.identity_id for i in result.identities] == [other_admin.identity_id]  # the key chose it
    later = NOW + timedelta(seconds=30)
    passed = otp.verify_login_code(demo_db, result, code(enrolment.secret, later), now=later)
    assert auth.enter(demo_db, passed, passed.identities[0].identity_id).identity_id == other_admin.identity_id
    with demo_db.read() as s:
        last = s.execute(select(BusinessLog).where(BusinessLog.business_type == "登录")
                         .order_by(BusinessLog.id.desc())).scalars().first()
    assert "SSH密钥" in last.summary
