"""Login (BJ-04, BJ-06), identity choice (SH-05), lockout, idle unlock and logout.

The slow argon2 verification runs outside any write transaction so that one clerk's login never
holds the database's write lock; the counter updates afterwards are single atomic statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import hashlib
import time

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
# How long a lock can be only the count of tries still being checked (one argon2 check and two writes on a
# loaded server); a refused try waits at most this long for them.
IN_FLIGHT_S = 3.0
IN_FLIGHT_POLL_S = 0.05
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


def _claim_once(db, table, where, now: datetime, guard_key: str | None = None):
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


def _state(db, table, where) -> tuple[int, datetime | None]:
    with db.read() as session:
        row = session.execute(select(table.failed_attempts, table.locked_until).where(where)).first()
    return (0, None) if row is None else (row[0], row[1])


def _claim_attempt(db, table, where, now: datetime, guard_key: str | None = None):
    """_claim_once, except that a lock set in the last IN_FLIGHT_S seconds may be only the count of tries
    still being checked, some of them right (five clerks of one account logging in at once): such a try
    waits for those checks to settle (at most IN_FLIGHT_S without a change), and claims again once a right one has cleared the
    count. A lock that was there before, or that lasts, refuses at once or after the wait. Wrong tries
    still never pass the limit: every claim is the same conditional UPDATE (B5).
    Returns (attempts, locked_until) after this try, or None when the name is locked."""
    deadline = time.monotonic() + IN_FLIGHT_S
    while True:
        claim = _claim_once(db, table, where, now, guard_key)
        if claim is not None:
            return claim
        state = _state(db, table, where)
        while True:
            attempts, until = state
            if until is None or until <= now or attempts < MAX_FAILURES:
                break  # cleared (or expired) meanwhile: claim again
            fresh = until - timedelta(minutes=LOCK_MINUTES) > now - timedelta(seconds=IN_FLIGHT_S)
            if not fresh or time.monotonic() >= deadline:
                return None
            time.sleep(IN_FLIGHT_POLL_S)
            state, before = _state(db, table, where), state
            if state != before:  # checks are settling (a loaded server): keep waiting while they do
                deadline = time.monotonic() + IN_FLIGHT_S


def _release_claim(session: Session, user_id: int) -> None:
    """A right password that does not yet clear the count (the authenticator's code is still due): its own
    claimed try is given back, so right passwords neither lock the account nor forgive the wrong ones."""
    session.execute(
        update(User).where(User.id == user_id, User.failed_attempts > 0)
        .values(failed_attempts=User.failed_attempts - 1,
                locked_until=case((User.failed_attempts - 1 < MAX_FAILURES, None), else_=User.locked_until))
    )


def _locked_until(db, table, where) -> datetime:
    # a right try may have cleared the lock since the claim was refused: the message still needs a time
    return _state(db, table, where)[1] or utcnow()


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


def _failed(db, user: User | None, attempts: int, until: datetime | None, now: datetime,
            table=None, where=None) -> None:
    """After a wrong password: the audit trail, and the lock's business record when this try set it."""
    locked = until is not None and until > now
    reached = locked and attempts >= MAX_FAILURES
    if table is None and user is not None:
        table, where = User, User.id == user.id
    if user is not None or (reached and table is not None):
        with db.write() as session:
            if reached and table is not None:
                # this try set the lock and was wrong: the lock is real, not a count of checks still running,
                # so it is dated back past IN_FLIGHT_S and later tries are refused without waiting
                session.execute(update(table).where(where, table.locked_until == until)
                                .values(locked_until=until - timedelta(seconds=IN_FLIGHT_S)))
            if user is not None:
                audit(session, "登录失败", user_id=user.id, organisation_id=None, detail={"attempts": attempts})
                if reached:
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
        _failed(db, user, *claim, now, table, where)
        raise ServiceError(BAD_CREDENTIALS, field="password")
    if user.status == "pending":
        raise ServiceError("账户尚未激活，请先完成短信或邮箱校验", field="username")
    if user.status == "disabled":
        raise ServiceError("账户已停用，请联系单位管理员", field="username")
    otp_pending = _has_authenticator(user)
    with db.write() as session:
        # with an authenticator the counter is reset by the good code, not by the password: otherwise each
        # right password would buy an attacker another round of code guesses; the password's own claimed
        # try is given back, so right passwords (five clerks at once) never lock the account
        if otp_pending:
            _release_claim(session, user.id)
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


def _has_authenticator(user: User) -> bool:
    return user.totp_secret is not None and user.totp_confirmed_at is not None


def unlock_needs_code(db, actor: Actor) -> bool:
    """Whether the idle lock asks for the authenticator's code too (BY-08), so the lock screen shows its field."""
    with checked_read(db, actor) as session:
        user = session.get(User, actor.user_id)
    return user is not None and _has_authenticator(user)


def unlock(db, actor: Actor, password: str, code: str = "", *, now: datetime | None = None) -> None:
    """Re-enter the password after the idle lock, and with an authenticator its 6-digit code or a recovery
    code (services.identity.otp: the same window, reuse and lockout rules as at login); failures count
    towards the lockout."""
    now = now or utcnow()
    password = _require(password, "password", "密码")
    with checked_read(db, actor) as session:
        user = session.get(User, actor.user_id)
    if user is None or user.status != "active":
        raise ServiceError("账户已停用，请重新登录", field="password")
    code_due = _has_authenticator(user)
    if code_due and not (code or "").strip():  # asked before the password is tried: nothing is counted
        raise ValidationError("请输入动态口令", field="code")
    claim = _claim_attempt(db, User, User.id == user.id, now)
    matches = verify_password(user.password_hash, password)
    if claim is None:
        raise AccountLocked(_locked_until(db, User, User.id == user.id))
    if not matches:
        _failed(db, user, *claim, now)
        raise ServiceError("密码错误", field="password")
    if code_due:
        from services.identity import otp  # otp builds on this module

        with checked_write(db, actor) as session:  # the right password's try back; the code is counted itself
            _release_claim(session, user.id)
        otp.unlock_with_code(db, actor, code, now=now)
        return
    with checked_write(db, actor) as session:
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=0, locked_until=None))
        audit(session, "解除锁屏", user_id=actor.user_id, organisation_id=actor.organisation_id)


def logout(db, actor: Actor, *, reason: str = "退出登录") -> None:
    with db.write() as session:  # no session check: a session that has ended may still log out
        record_action(session, actor, "退出登录", summary=reason)
