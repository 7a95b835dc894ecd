"""SH-11 物企下属人员或小区管理处用户登录 (Shanghai): 手机号码, 密码 and 手机验证码, 【登录】.

【获取验证码】 queues a 6-digit code for the mobile in the notify outbox (services.notify.codes: one send a
minute and a daily cap per number, an hourly cap per source), after the rate limits of this step per number
and per source (the SSH client's address). Whether the number belongs to an account is never said: an
unknown number gets the same answer and no message.

【登录】 counts the attempt per number and per source, then checks the password exactly as the user-name
login does (counted before the check, locked after five failures, one answer for an unknown number and a
wrong password), then the code (one use, five tries, five minutes). Only the identities of a subordinate
(企业经办人) or a community office (小区管理处经办人) are offered: an administrator logs in with the
enterprise's key. The first login then forces the password change, then 确认选择 of the system
(screens.identity.mobile_login).

Neither the code nor the password reaches the log, the business log or, after use, the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from models import Identity, LoginGuard, User
from services.core.clock import utcnow
from services.core.errors import ServiceError, ValidationError
from services.identity import auth, ratelimit, validators
from services.identity.passwords import verify_password
from services.notify import codes
from services.notify.outbox import mask_recipient

PURPOSE = "login"
ROLES = ("enterprise_operator", "office_operator")
BAD_CREDENTIALS = "手机号码或密码错误"
NOT_SUBORDINATE = "该手机号码没有物业企业下属人员或小区管理处的身份，请使用企业管理员账号登录"
TOO_OFTEN = "获取验证码过于频繁，请稍后再试"


def _subordinate(session, mobile: str) -> User | None:
    """The account that logs in with this mobile: one with an enterprise or office identity (SH-09 keeps
    such a number on one account)."""
    return session.execute(
        select(User).join(Identity, Identity.user_id == User.id)
        .where(User.mobile == mobile, Identity.role.in_(ROLES))
        .order_by(User.id).limit(1)
    ).scalar_one_or_none()


def send_code(db, actor, mobile: str, *, source: str | None = None, now: datetime | None = None) -> str:
    """【获取验证码】: returns the masked number the code went to (also for a number without an account)."""
    now = now or utcnow()
    mobile = validators.mobile(mobile, field="mobile")
    where = source or ratelimit.LOCAL_SOURCE
    ratelimit.hit(db, "login_code.source", where, field="code", now=now, message=TOO_OFTEN)
    ratelimit.hit(db, "login_code.account", mobile, field="code", now=now, message=TOO_OFTEN)
    with db.write() as session:  # no session check: before login
        user = _subordinate(session, mobile)
        if user is not None and user.status == "active":
            codes.send(session, purpose=PURPOSE, channel="sms", recipient=mobile, template="login_code",
                       source=where, user_id=user.id, now=now)
    return mask_recipient(mobile)


def authenticate(db, actor, mobile: str, password: str, code: str, *, source: str | None = None,
                 now: datetime | None = None) -> auth.LoginResult:
    """【登录】: the login's identities (subordinate and office ones only), or the refusal at its field."""
    now = now or utcnow()
    mobile = validators.mobile(mobile, field="mobile")
    if not password:
        raise ValidationError("请输入密码", field="password")
    if len(password) > auth.FIELD_LIMITS["password"]:
        raise ValidationError(f"密码不能超过{auth.FIELD_LIMITS['password']}个字符", field="password")
    if not (code or "").strip():
        raise ValidationError(codes.EMPTY, field="code")
    ratelimit.check_login(db, mobile, source or ratelimit.LOCAL_SOURCE)
    with db.read() as session:  # no session check: before login
        user = _subordinate(session, mobile)
    # As the user-name login (B6): known and unknown numbers counted, locked and answered alike.
    key = None if user is not None else auth._guard_key("mobile", mobile)
    table, where = (User, User.id == user.id) if user is not None else (LoginGuard, LoginGuard.key == key)
    claim = auth._claim_attempt(db, table, where, now, key)
    matches = verify_password(user.password_hash if user else None, password)
    if claim is None:
        raise auth.AccountLocked(auth._locked_until(db, table, where))
    if not matches:
        auth._failed(db, user, *claim, now, table, where)
        raise ServiceError(BAD_CREDENTIALS, field="password")
    # The password was right: its failure count starts again (the code has its own five tries), and the
    # code's counted try commits even when the code is wrong.
    with db.write() as session:  # no session check: before login
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=0, locked_until=None))
        problem = codes.check(session, purpose=PURPOSE, recipient=mobile, code=code, now=now)
    if problem:
        raise ValidationError(problem, field="code")
    if user.status != "active":
        raise ServiceError("账户已停用，请联系单位管理员", field="mobile")
    with db.read() as session:  # no session check: before login
        identities = tuple(i for i in auth._identities(session, user.id) if i.role in ROLES)
    if not identities:
        raise ServiceError(NOT_SUBORDINATE, field="mobile")
    return auth.LoginResult(user_id=user.id, username=user.username or mobile, real_name=user.real_name,
                            must_change_password=user.must_change_password, identities=identities)
