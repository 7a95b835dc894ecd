"""Verification codes: 6 digits, valid 5 minutes, one use, at most 5 tries; at most one send a minute and
DAILY_CAP a day per recipient, SOURCE_HOURLY_CAP an hour per source address. Only an argon2 hash is stored,
the code travels only in the outbox text, which is starred out once the code is used, replaced or expired.

`check` works inside the caller's write transaction and returns the problem instead of raising, so the
caller can let the counted try commit and then raise: see `services.identity.registration` for the pattern.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session

from models import VerificationCode
from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.identity.passwords import hash_password, verify_password
from services.notify import outbox

CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5
SEND_INTERVAL = timedelta(minutes=1)
DAILY_CAP = 10
SOURCE_HOURLY_CAP = 30

TOO_SOON = "验证码已发送，请1分钟后再重新获取"
DAILY_LIMIT = "今日获取验证码次数已达上限，请明天再试"
SOURCE_LIMIT = "获取验证码过于频繁，请稍后再试"
NO_CODE = "请先获取验证码"
EXPIRED = "验证码已失效，请重新获取"
TOO_MANY = "验证码错误次数过多，请重新获取"
WRONG = "验证码错误，请重新输入"
EMPTY = "请输入验证码"


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _count(session: Session, *conditions) -> int:
    return session.execute(select(func.count()).select_from(VerificationCode).where(*conditions)).scalar_one()


def send(session: Session, *, purpose: str, channel: str, recipient: str, template: str = "verify_code",
         source: str | None = None, user_id: int | None = None, now: datetime | None = None,
         field: str = "code", **values) -> VerificationCode:
    """Issue a code and queue its message, both in the caller's transaction. Any earlier code for the same
    recipient and purpose stops being valid."""
    now = now or utcnow()
    latest = session.execute(
        select(func.max(VerificationCode.created_at)).where(VerificationCode.recipient == recipient)
    ).scalar()
    if latest is not None and _aware(latest) > now - SEND_INTERVAL:
        raise ValidationError(TOO_SOON, field=field)
    if _count(session, VerificationCode.recipient == recipient,
              VerificationCode.created_at > now - timedelta(days=1)) >= DAILY_CAP:
        raise ValidationError(DAILY_LIMIT, field=field)
    if source and _count(session, VerificationCode.source == source,
                         VerificationCode.created_at > now - timedelta(hours=1)) >= SOURCE_HOURLY_CAP:
        raise ValidationError(SOURCE_LIMIT, field=field)
    for old in session.execute(select(VerificationCode).where(
            VerificationCode.recipient == recipient, VerificationCode.purpose == purpose,
            VerificationCode.used_at.is_(None))).scalars():
        old.used_at = now
        outbox.mask(session, old.outbox_id)
    code = new_code()
    message = outbox.queue(session, channel, recipient, template, secret=code, user_id=user_id, now=now,
                           code=code, **values)
    row = VerificationCode(purpose=purpose, channel=channel, recipient=recipient, code_hash=hash_password(code),
                           created_at=now, expires_at=now + CODE_TTL, source=source, outbox_id=message.id)
    session.add(row)
    session.flush()
    return row


def _aware(moment: datetime) -> datetime:
    from datetime import timezone

    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def check(session: Session, *, purpose: str, recipient: str, code: str, now: datetime | None = None) -> str | None:
    """None when `code` is the recipient's current code for `purpose` (it is used up now); else the message.

    A wrong code counts one try, which the caller must commit even though the action fails.
    """
    now = now or utcnow()
    code = (code or "").strip()
    if not code:
        return EMPTY
    row = session.execute(
        select(VerificationCode)
        .where(VerificationCode.recipient == recipient, VerificationCode.purpose == purpose)
        .order_by(VerificationCode.id.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None:
        return NO_CODE
    if row.used_at is not None or _aware(row.expires_at) <= now:
        outbox.mask(session, row.outbox_id)
        return EXPIRED
    if row.tries >= MAX_TRIES:
        return TOO_MANY
    if not (len(code) == 6 and code.isdigit() and verify_password(row.code_hash, code)):
        session.execute(update(VerificationCode).where(VerificationCode.id == row.id)
                        .values(tries=VerificationCode.tries + 1))
        return TOO_MANY if row.tries + 1 >= MAX_TRIES else WRONG
    session.execute(update(VerificationCode).where(VerificationCode.id == row.id, VerificationCode.used_at.is_(None))
                    .values(used_at=now))
    outbox.mask(session, row.outbox_id)
    return None


def verify(db, *, purpose: str, recipient: str, code: str, field: str = "code", now: datetime | None = None) -> None:
    """`check` in a transaction of its own, raising at `field` after the counted try is committed."""
    with db.write() as session:
        problem = check(session, purpose=purpose, recipient=recipient, code=code, now=now)
    if problem:
        raise ValidationError(problem, field=field)
