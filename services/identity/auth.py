"""Login (BJ-04, BJ-06), identity choice (SH-05), lockout, idle unlock and logout.

The slow argon2 verification runs outside any write transaction so that one clerk's login never
holds the database's write lock; the counter updates afterwards are single atomic statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import hashlib

from sqlalchemy import case, select, update
from sqlmodel import Session

from models import Identity, LoginGuard, Organisation, User
from services.core.actor import Actor
from services.core.business_log import audit, record_action
from services.identity.captcha import Captcha
from services.core.clock import local_text, utcnow
from services.core.parsing import check_text
from services.core.errors import ServiceError, ValidationError
from services.identity.passwords import hash_password, needs_rehash, verify_password
from services.core.profiles import ROLE_LABELS
from services.core.session_check import checked_read, checked_write

MAX_FAILURES = 5
LOGIN_BUSY_MS = 3_000  # a login waits this long for another writer, then says 数据库忙
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
    # the account has an authenticator: services.identity.otp.verify_login_code must pass before enter()
    otp_pending: bool = False
    via: str = ""  # how, when not by user name (e.g. SSH密钥): the login's business-log row says so


def _require(value: str, field: str, label: str) -> str:
    value = value.strip() if field != "password" else value
    if not value:
        raise ValidationError(f"请输入{label}", field=field)
    check_text(value, field, label, strip=False)  # a lone surrogate cannot be hashed or looked up
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


def _claim_attempt(db, table, where, now: datetime, guard_key: str | None = None):
    """Count this try before its password is checked, in one conditional UPDATE, so however many
    tries arrive at once no more than MAX_FAILURES are ever checked (B5). The try that reaches the
    limit also sets the lock, so a process killed mid-check cannot leave the count without its lock.
    Returns (attempts, locked_until) after this try, or None when the name is locked."""
    expired = table.locked_until.is_not(None) & (table.locked_until <= now)
    until = now + timedelta(minutes=LOCK_MINUTES)
    with db.write(busy_ms=LOGIN_BUSY_MS) as session:
        if guard_key is not None:  # an unknown name: its counter row, made in the same transaction
            session.execute(_upsert_guard(session, guard_key))
        row = session.execute(
            update(table)
            .where(where, (table.locked_until.is_(None) & (table.failed_attempts < MAX_FAILURES)) | expired)
            .values(
                failed_attempts=case((expired, 1), else_=table.failed_attempts + 1),
                locked_until=case((expired, None),
                                  (table.failed_attempts + 1 >= MAX_FAILURES, until),
                                  else_=table.locked_until),
            )
            .returning(table.failed_attempts, table.locked_until)
        ).first()
    return None if row is None else (row[0], row[1])


def _locked_until(db, table, where) -> datetime:
    with db.read() as session:
        return session.execute(select(table.locked_until).where(where)).scalar_one()


def _guard_key(method: str, login: str) -> str:
    return hashlib.sha256(f"{method}\x00{login}".encode("utf-8", "surrogatepass")).hexdigest()


def _upsert_guard(session: Session, key: str):
    # The back end's own insert, imported here: a SQLite process need not hold PostgreSQL's dialect
    # (and the other way round), ~1 MB of resident memory each.
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as module
    else:
        from sqlalchemy.dialects.postgresql import insert as module
    return module(LoginGuard).values(key=key, failed_attempts=0).on_conflict_do_nothing(index_elements=["key"])


def _failed(db, user: User | None, attempts: int, until: datetime | None, now: datetime) -> None:
    """After a wrong password: the audit trail, and the lock's business record when this try set it."""
    locked = until is not None and until > now
    if user is not None:
        with db.write() as session:
            audit(session, "登录失败", user_id=user.id, organisation_id=None, detail={"attempts": attempts})
            if locked and attempts >= MAX_FAILURES:
                record_action(session, None, "账户锁定", status="锁定", user_id=user.id,
                              summary=f"连续{attempts}次密码错误，锁定至 {local_text(until)}")
    if locked:
        raise AccountLocked(until)


def _check_captcha(captcha: Captcha, answer: str) -> None:
    if not answer.strip():
        raise ValidationError("请输入验证码", field="captcha")
    if not captcha.matches(answer):
        raise ValidationError("验证码错误，请重新输入", field="captcha")


def settle_attempt(db, user: User | None, password: str, claim, matches: bool, table, where,
                   now: datetime) -> tuple[tuple, bool]:
    """The end of every password login (user name, key certificate, bound SSH key) once its attempt is
    claimed and the password checked: refuse a locked, wrong, unactivated or disabled account, else reset
    the failure count and return the user's identities and whether the authenticator's code is still due."""
    if claim is None:
        raise AccountLocked(_locked_until(db, table, where))
    if not matches:
        _failed(db, user, *claim, now)
        raise ServiceError(BAD_CREDENTIALS, field="password")
    if user.status == "pending":
        raise ServiceError("账户尚未激活，请先完成短信或邮箱校验", field="username")
    if user.status == "disabled":
        raise ServiceError("账户已停用，请联系单位管理员", field="username")
    otp_pending = user.totp_secret is not None and user.totp_confirmed_at is not None
    with db.write() as session:
        # with an authenticator the counter is reset by the good code, not by the password: otherwise each
        # right password would buy an attacker another round of code guesses
        values = {} if otp_pending else {"failed_attempts": 0, "locked_until": None}
        if needs_rehash(user.password_hash):
            values["password_hash"] = hash_password(password)
        if values:
            session.execute(update(User).where(User.id == user.id).values(**values))
        return _identities(session, user.id), otp_pending


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
    # Known and unknown names are counted, locked and answered alike, and every answer waits for
    # one password check, so neither the wording nor the time tells which names exist (B6).
    key = None if user is not None else _guard_key(method, login)
    table, where = (User, User.id == user.id) if user is not None else (LoginGuard, LoginGuard.key == key)
    claim = _claim_attempt(db, table, where, now, key)
    matches = verify_password(user.password_hash if user else None, password)
    identities, otp_pending = settle_attempt(db, user, password, claim, matches, table, where, now)
    if not identities:
        raise ServiceError("该账户没有可用的身份，请联系单位管理员", field="username")
    return LoginResult(
        user_id=user.id,
        username=user.username or user.cert_no or "",
        real_name=user.real_name,
        must_change_password=user.must_change_password,
        identities=identities,
        otp_pending=otp_pending,
    )


def enter(db, login: LoginResult, identity_id: int, *, via: str = "") -> Actor:
    """Start working under one of the identities the login offered, and record the login (`via`: how,
    when not by user name, e.g. SSH密钥)."""
    if login.otp_pending:
        raise ServiceError("请输入动态口令", field="code")
    via = via or login.via
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
        record_action(session, actor, "登录", summary=f"{actor.real_name}以{choice.role_label}身份登录"
                      + (f"（{via}）" if via else ""))
    return actor


def actor_for_identity(db, identity_id: int) -> Actor:
    """The Actor of an identity without a login: for system work done on someone's behalf (the
    demo data), never for a terminal session."""
    with db.read() as session:
        identity = session.get(Identity, identity_id)
        user = session.get(User, identity.user_id)
        choice = next((i for i in _identities(session, user.id) if i.identity_id == identity_id), None)
    if choice is None or user.status != "active":
        raise ServiceError("该用户或其身份、单位已停用")
    return Actor(user_id=user.id, identity_id=identity_id, username=user.username or "", real_name=user.real_name,
                 role=choice.role, organisation_id=choice.organisation_id, organisation_name=choice.organisation_name,
                 organisation_kind=choice.organisation_kind, district_id=choice.district_id)


def unlock(db, actor: Actor, password: str, *, now: datetime | None = None) -> None:
    """Re-enter the password after the idle lock; failures count towards the lockout."""
    now = now or utcnow()
    password = _require(password, "password", "密码")
    with checked_read(db, actor) as session:
        user = session.get(User, actor.user_id)
    if user is None or user.status != "active":
        raise ServiceError("账户已停用，请重新登录", field="password")
    claim = _claim_attempt(db, User, User.id == user.id, now)
    matches = verify_password(user.password_hash, password)
    if claim is None:
        raise AccountLocked(_locked_until(db, User, User.id == user.id))
    if not matches:
        _failed(db, user, *claim, now)
        raise ServiceError("密码错误", field="password")
    with checked_write(db, actor) as session:
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=0, locked_until=None))
        audit(session, "解除锁屏", user_id=actor.user_id, organisation_id=actor.organisation_id)


def logout(db, actor: Actor, *, reason: str = "退出登录") -> None:
    with db.write() as session:  # no session check: a session that has ended may still log out
        record_action(session, actor, "退出登录", summary=reason)
