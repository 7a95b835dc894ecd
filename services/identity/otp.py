"""动态口令 (BY-08): enrol a TOTP authenticator, the second login step, recovery codes, disable, and the
enterprise administrator's reset of an operator's authenticator.

The secret is kept sealed (services.identity.otp_secret) and appears only in the enrolment's return
value; neither it nor any code reaches a log or the business log. Wrong codes at login count towards
the same atomic lockout as wrong passwords (services.identity.auth).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session

from models import RecoveryCode, User
from services.admin.operators_query import load_operator
from services.admin.scope import admin_scope
from services.core.actor import Actor
from services.core.business_log import audit, record_action
from services.core.clock import local_text, utcnow
from services.core.errors import ServiceError, ValidationError
from services.core.functions import require
from services.core.session_check import checked_read, checked_write
from services.identity import auth, otp_codes as codes
from services.identity.otp_secret import open_secret, seal_secret

ISSUER = "wxzj"  # ASCII keeps the QR code small enough for 80×24
NOT_ENABLED = "您尚未启用动态口令"


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, as authenticator apps take it by hand
    grouped: str
    uri: str


@dataclass(frozen=True)
class OtpStatus:
    enabled: bool
    pending: bool
    recovery_left: int
    enabled_at: datetime | None


class CodeLocked(auth.AccountLocked):
    """The lockout reached by wrong codes (or passwords and codes): worded for both, said at the code."""

    def __init__(self, until: datetime) -> None:
        ServiceError.__init__(self, f"连续{auth.MAX_FAILURES}次密码或口令错误，账户已锁定，"
                              f"请于 {local_text(until, '%H:%M')} 后再试", field="code")
        self.until = until


def _lock_message(until: datetime) -> ServiceError:
    return CodeLocked(until)


def _user(session: Session, actor: Actor) -> User:
    return session.get(User, actor.user_id)


def _spend(db, user_id: int, code: str, now: datetime, then: Callable[[Session, str], None],
           actor: Actor | None = None) -> str:
    """Check `code` (TOTP or recovery) for an enabled user and, in the same transaction, run `then`.

    Each try is claimed on the lockout counter first, as a password try is; a good code resets it.
    Returns the kind of code spent ('totp' or 'recovery')."""
    kind, text = codes.kind_of(code)
    where = User.id == user_id
    claim = auth._claim_attempt(db, User, where, now)
    if claim is None:
        raise _lock_message(auth._locked_until(db, User, where))
    problem = None
    # before login there is no actor yet; an actor's session is checked by checked_write
    opened = checked_write(db, actor) if actor is not None else db.write()  # no session check before login
    with opened as session:
        user = session.get(User, user_id)
        if user.totp_secret is None or user.totp_confirmed_at is None:
            raise ServiceError(NOT_ENABLED, field="code")
        secret = open_secret(session, user_id, user.totp_secret)
        reset = {"failed_attempts": 0, "locked_until": None}
        if kind == "totp":
            step = codes.matching_step(secret, text, now)
            if step is None:
                problem = codes.WRONG_CODE
            elif not codes.claim_step(session, user_id, step, **reset):
                problem = codes.REUSED_CODE
        elif codes.spend_recovery(session, user_id, text, now):
            session.execute(update(User).where(where).values(**reset))
        else:
            problem = codes.WRONG_RECOVERY
        if problem is None:
            then(session, kind)
    if problem is not None:
        with db.read() as session:  # no session check: the write above checked it, this reads the counter's user
            user = session.get(User, user_id)
        try:
            auth._failed(db, user, *claim, now)
        except auth.AccountLocked as locked:
            raise _lock_message(locked.until) from None
        raise ServiceError(problem, field="code")
    return kind


# -- the second login step ---------------------------------------------------------------------

def verify_login_code(db, login: auth.LoginResult, code: str, *, now: datetime | None = None) -> auth.LoginResult:
    """After the password (or key) check: the authenticator's code or a recovery code."""
    now = now or utcnow()
    if not login.otp_pending:
        return login
    with db.read() as session:
        user = session.get(User, login.user_id)
    if user is None or user.status != "active":
        raise ServiceError("账户已停用，请联系单位管理员", field="code")
    if user.totp_confirmed_at is None:  # reset by the administrator since the password was checked
        with db.write() as session:
            session.execute(update(User).where(User.id == user.id).values(failed_attempts=0, locked_until=None))
        return replace(login, otp_pending=False)

    def recorded(session: Session, kind: str) -> None:
        if kind == "recovery":
            left = codes.recovery_left(session, user.id)
            record_action(session, None, "使用恢复码登录", user_id=user.id,
                          summary=f"{user.real_name}以恢复码登录，剩余恢复码{left}个")

    _spend(db, user.id, code, now, recorded)
    return replace(login, otp_pending=False)


def unlock_with_code(db, actor: Actor, code: str, *, now: datetime | None = None) -> None:
    """The idle lock's second step, once services.identity.auth.unlock has checked the password."""

    def unlocked(session: Session, kind: str) -> None:
        audit(session, "解除锁屏", user_id=actor.user_id, organisation_id=actor.organisation_id,
              detail={"with": "恢复码" if kind == "recovery" else "动态口令"})
        if kind == "recovery":
            left = codes.recovery_left(session, actor.user_id)
            record_action(session, actor, "使用恢复码解锁", summary=f"{actor.real_name}以恢复码解除锁屏，剩余恢复码{left}个")

    _spend(db, actor.user_id, code, now or utcnow(), unlocked, actor)


# -- the user's own authenticator --------------------------------------------------------------

def otp_status(db, actor: Actor) -> OtpStatus:
    require(actor, "otp")
    with checked_read(db, actor) as session:
        user = _user(session, actor)
        enabled = user.totp_secret is not None and user.totp_confirmed_at is not None
        return OtpStatus(enabled=enabled, pending=user.totp_secret is not None and not enabled,
                         recovery_left=codes.recovery_left(session, user.id) if enabled else 0,
                         enabled_at=user.totp_confirmed_at)


def begin_enrolment(db, actor: Actor) -> Enrolment:
    """A new secret, kept pending until confirm_enrolment sees one of its codes."""
    require(actor, "otp")
    secret = codes.new_secret()
    with checked_write(db, actor) as session:
        user = _user(session, actor)
        if user.totp_confirmed_at is not None and user.totp_secret is not None:
            raise ServiceError("动态口令已启用；如需更换手机，请先停用再重新启用")
        session.execute(
            update(User).where(User.id == user.id)
            .values(totp_secret=seal_secret(session, user.id, secret), totp_confirmed_at=None, totp_last_step=None)
        )
    text = codes.base32(secret)
    return Enrolment(secret=text, grouped=codes.grouped(text),
                     uri=codes.provisioning_uri(secret, actor.username or str(actor.user_id), ISSUER))


def confirm_enrolment(db, actor: Actor, code: str, *, now: datetime | None = None) -> tuple[str, ...]:
    """One valid code makes the authenticator take effect; returns the recovery codes, shown once."""
    require(actor, "otp")
    now = now or utcnow()
    kind, text = codes.kind_of(code)
    if kind != "totp":
        raise ValidationError("请输入手机上显示的6位动态口令", field="code")
    with checked_write(db, actor) as session:
        user = _user(session, actor)
        if user.totp_secret is None or user.totp_confirmed_at is not None:
            raise ServiceError("请先按 F2 启用动态口令", field="code")
        step = codes.matching_step(open_secret(session, user.id, user.totp_secret), text, now)
        if step is None:
            raise ValidationError("动态口令错误，请核对手机时间后输入当前显示的6位口令", field="code")
        # the secret compared too: a second enrolment started meanwhile replaced it
        done = session.execute(
            update(User)
            .where(User.id == user.id, User.totp_confirmed_at.is_(None), User.totp_secret == user.totp_secret)
            .values(totp_confirmed_at=now, totp_last_step=step, version=User.version + 1)
        ).rowcount
        if done != 1:
            raise ServiceError("动态口令的启用已在别处更改，请重新启用", field="code")
        recovery = codes.new_recovery_codes(session, user.id)
        record_action(session, actor, "启用动态口令", summary=f"{actor.real_name}启用动态口令，生成恢复码{len(recovery)}个")
    return recovery


def _clear(session: Session, user_id: int) -> None:
    session.execute(
        update(User).where(User.id == user_id)
        .values(totp_secret=None, totp_confirmed_at=None, totp_last_step=None, version=User.version + 1)
    )
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def disable_otp(db, actor: Actor, code: str, *, now: datetime | None = None) -> bool:
    """停用: proven by a current code or a recovery code, so an unattended session cannot do it."""
    require(actor, "otp")
    with checked_read(db, actor) as session:
        if _user(session, actor).totp_confirmed_at is None:
            raise ServiceError(NOT_ENABLED)

    def cleared(session: Session, kind: str) -> None:
        _clear(session, actor.user_id)
        how = "恢复码" if kind == "recovery" else "动态口令"
        record_action(session, actor, "停用动态口令", summary=f"{actor.real_name}以{how}确认停用动态口令")

    _spend(db, actor.user_id, code, now or utcnow(), cleared, actor)
    return True


def renew_recovery_codes(db, actor: Actor, code: str, *, now: datetime | None = None) -> tuple[str, ...]:
    """New recovery codes (the old ones stop working), proven by a current code."""
    require(actor, "otp")
    made: list[tuple[str, ...]] = []

    def renewed(session: Session, _kind: str) -> None:
        made.append(codes.new_recovery_codes(session, actor.user_id))
        record_action(session, actor, "重新生成恢复码", summary=f"{actor.real_name}重新生成恢复码{len(made[0])}个")

    _spend(db, actor.user_id, code, now or utcnow(), renewed, actor)
    return made[0]


# -- the enterprise administrator ----------------------------------------------------------------

def reset_operator_otp(db, actor: Actor, identity_id: int) -> str:
    """An operator lost their phone: their authenticator and recovery codes are removed, so they log in
    with the password alone until they enrol again. Returns the operator's name."""
    with checked_write(db, actor) as session:
        scope = admin_scope(session, actor, "operators")
        _identity, user, _org = load_operator(session, scope, identity_id)
        if user.totp_secret is None:
            raise ServiceError("该操作员未启用动态口令")
        _clear(session, user.id)
        record_action(session, actor, "重置动态口令", summary=f"重置{user.real_name}（{user.username or ''}）的动态口令",
                      detail={"user_id": user.id})
        return user.real_name
