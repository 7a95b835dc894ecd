"""Login (BJ-04, BJ-06), identity choice (SH-05), lockout, idle unlock and logout.

The slow argon2 verification runs outside any write transaction so that one clerk's login never
holds the database's write lock; the counter updates afterwards are single atomic statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from models import Identity, Organisation, User
from services.core.actor import Actor
from services.core.business_log import audit, record_action
from services.identity.captcha import Captcha
from services.core.clock import local_text, utcnow
from services.core.errors import ServiceError, ValidationError
from services.identity.passwords import hash_password, needs_rehash, verify_password
from services.core.profiles import ROLE_LABELS

MAX_FAILURES = 5
LOCK_MINUTES = 15
BAD_CREDENTIALS = "用户名或密码错误"
FIELD_LIMITS = {"username": 40, "password": 128}


class AccountLocked(ServiceError):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"连续{MAX_FAILURES}次密码错误，账户已锁定，请于 {local_text(until, '%H:%M')} 后再试"
                         f"（{local_text(until, '%Y-%m-%d %H:%M')}）", field="password")
        self.until = until


@dataclass(frozen=True)
class IdentityChoice:
    identity_id: int
    role: str
    role_label: str
    organisation_id: int | None
    organisation_name: str
    organisation_kind: str | None
    district_id: int | None


@dataclass(frozen=True)
class LoginResult:
    user_id: int
    username: str
    real_name: str
    must_change_password: bool
    identities: tuple[IdentityChoice, ...]


def _require(value: str, field: str, label: str) -> str:
    value = value.strip() if field != "password" else value
    if not value:
        raise ValidationError(f"请输入{label}", field=field)
    if len(value) > FIELD_LIMITS[field]:
        raise ValidationError(f"{label}不能超过{FIELD_LIMITS[field]}个字符", field=field)
    return value


def _find_user(session: Session, *, username: str | None = None, cert_no: str | None = None) -> User | None:
    column = User.username if username is not None else User.cert_no
    return session.execute(select(User).where(column == (username or cert_no))).scalar_one_or_none()


def _identities(session: Session, user_id: int) -> tuple[IdentityChoice, ...]:
    rows = session.execute(
        select(Identity, Organisation)
        .outerjoin(Organisation, Identity.organisation_id == Organisation.id)
        .where(Identity.user_id == user_id, Identity.status == "active")
        .order_by(Identity.id)
    ).all()
    return tuple(
        IdentityChoice(
            identity_id=identity.id,
            role=identity.role,
            role_label=ROLE_LABELS[identity.role],
            organisation_id=org.id if org else None,
            organisation_name=org.name if org else "（未认证单位）",
            organisation_kind=org.kind if org else None,
            district_id=org.district_id if org else None,
        )
        for identity, org in rows
        # a 未认证用户 works for the unit it is registering, which is pending until the review approves it
        if org is None or org.status == "active" or identity.role == "registrant"
    )


def _record_failure(db, user: User, now: datetime) -> None:
    with db.write() as session:
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_attempts=User.failed_attempts + 1)
        )
        attempts = session.get(User, user.id).failed_attempts
        audit(session, "登录失败", user_id=user.id, organisation_id=None, detail={"attempts": attempts})
        until = None
        if attempts >= MAX_FAILURES:
            until = now + timedelta(minutes=LOCK_MINUTES)
            session.execute(update(User).where(User.id == user.id).values(locked_until=until))
            record_action(session, None, "账户锁定", status="锁定", user_id=user.id,
                          summary=f"连续{attempts}次密码错误，锁定至 {local_text(until)}")
    if until is not None:  # raised only now, so the lock above is committed
        raise AccountLocked(until)


def _check_lock(db, user: User, now: datetime) -> None:
    if user.locked_until is None:
        return
    if user.locked_until > now:
        raise AccountLocked(user.locked_until)
    with db.write() as session:  # the lock has run out: start counting afresh
        session.execute(update(User).where(User.id == user.id).values(locked_until=None, failed_attempts=0))
    user.failed_attempts = 0


def _check_captcha(captcha: Captcha, answer: str) -> None:
    if not answer.strip():
        raise ValidationError("请输入验证码", field="captcha")
    if not captcha.matches(answer):
        raise ValidationError("验证码错误，请重新输入", field="captcha")


def authenticate(db, username: str, password: str, *, method: str = "password",
                 captcha: Captcha | None = None, captcha_answer: str = "",
                 now: datetime | None = None) -> LoginResult:
    """Check a user name (or, for key login, a certificate number) and password.

    The captcha is checked before the password, so a wrong captcha never counts as a failed
    attempt. An unknown user and a wrong password get the same message and cost the same time.
    """
    now = now or utcnow()
    login = _require(username, "username", "证书编号" if method == "key" else "用户名")
    password = _require(password, "password", "密码")
    if captcha is not None:
        _check_captcha(captcha, captcha_answer)
    with db.read() as session:
        user = _find_user(session, **{"cert_no" if method == "key" else "username": login})
    if user is not None:
        _check_lock(db, user, now)
    if not verify_password(user.password_hash if user else None, password):
        if user is not None:
            _record_failure(db, user, now)
        raise ServiceError(BAD_CREDENTIALS, field="password")
    if user.status == "pending":
        raise ServiceError("账户尚未激活，请先完成短信或邮箱校验", field="username")
    if user.status == "disabled":
        raise ServiceError("账户已停用，请联系单位管理员", field="username")
    with db.write() as session:
        values = {"failed_attempts": 0, "locked_until": None}
        if needs_rehash(user.password_hash):
            values["password_hash"] = hash_password(password)
        session.execute(update(User).where(User.id == user.id).values(**values))
        identities = _identities(session, user.id)
    if not identities:
        raise ServiceError("该账户没有可用的身份，请联系单位管理员", field="username")
    return LoginResult(
        user_id=user.id,
        username=user.username or user.cert_no or "",
        real_name=user.real_name,
        must_change_password=user.must_change_password,
        identities=identities,
    )


def enter(db, login: LoginResult, identity_id: int) -> Actor:
    """Start working under one of the identities the login offered, and record the login."""
    choice = next((i for i in login.identities if i.identity_id == identity_id), None)
    if choice is None:
        raise ServiceError("请选择本账户拥有的身份")
    actor = Actor(
        user_id=login.user_id,
        identity_id=choice.identity_id,
        username=login.username,
        real_name=login.real_name,
        role=choice.role,
        organisation_id=choice.organisation_id,
        organisation_name=choice.organisation_name,
        organisation_kind=choice.organisation_kind,
        district_id=choice.district_id,
    )
    with db.write() as session:
        session.execute(update(User).where(User.id == actor.user_id).values(last_login_at=utcnow()))
        record_action(session, actor, "登录", summary=f"{actor.real_name}以{choice.role_label}身份登录")
    return actor


def actor_for_identity(db, identity_id: int) -> Actor:
    """The Actor of an identity without a login: for system work done on someone's behalf (the
    demo data, batch printing from the command line), never for a terminal session."""
    with db.read() as session:
        identity = session.get(Identity, identity_id)
        user = session.get(User, identity.user_id)
        choice = next(i for i in _identities(session, user.id) if i.identity_id == identity_id)
    return Actor(user_id=user.id, identity_id=identity_id, username=user.username or "", real_name=user.real_name,
                 role=choice.role, organisation_id=choice.organisation_id, organisation_name=choice.organisation_name,
                 organisation_kind=choice.organisation_kind, district_id=choice.district_id)


def unlock(db, actor: Actor, password: str, *, now: datetime | None = None) -> None:
    """Re-enter the password after the idle lock; failures count towards the lockout."""
    now = now or utcnow()
    password = _require(password, "password", "密码")
    with db.read() as session:
        user = session.get(User, actor.user_id)
    if user is None or user.status != "active":
        raise ServiceError("账户已停用，请重新登录", field="password")
    _check_lock(db, user, now)
    if not verify_password(user.password_hash, password):
        _record_failure(db, user, now)
        raise ServiceError("密码错误", field="password")
    with db.write() as session:
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=0))
        audit(session, "解除锁屏", user_id=actor.user_id, organisation_id=actor.organisation_id)


def logout(db, actor: Actor, *, reason: str = "退出登录") -> None:
    with db.write() as session:
        record_action(session, actor, "退出登录", summary=reason)
