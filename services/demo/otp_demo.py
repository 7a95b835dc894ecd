"""BY-08's demo account: its authenticator enrolled with the published demo secret, and the current code for
`wxzj otp-code`, which a demo database alone answers (the secret must be the published one)."""

from __future__ import annotations

import base64
import hmac
from datetime import datetime

from sqlalchemy import select, update

from models import User
from services.core.clock import utcnow
from services.core.errors import ServiceError
from services.demo.accounts import OTP_DEMO_SECRET, OTP_DEMO_USER
from services.identity import otp_codes
from services.identity.otp_secret import open_secret, seal_secret

NOT_DEMO = "只有演示数据库中以演示密钥启用动态口令的账户，才能用 wxzj otp-code 查看口令"


def _demo_secret() -> bytes:
    return base64.b32decode(OTP_DEMO_SECRET)


def enrol_demo_account(db, now: datetime | None = None) -> None:
    """Called by the demo builder: the account's authenticator is on, as if enrolled with the demo secret."""
    with db.write() as session:
        user_id = session.execute(select(User.id).where(User.username == OTP_DEMO_USER)).scalar_one()
        session.execute(update(User).where(User.id == user_id).values(
            totp_secret=seal_secret(session, user_id, _demo_secret()), totp_confirmed_at=now or utcnow(),
            totp_last_step=None))


def current_code(db, username: str, now: datetime | None = None) -> tuple[str, int]:
    """(the code now, seconds it stays valid) of a demo account; refused for any other account or database."""
    now = now or utcnow()
    with db.read() as session:
        user = session.execute(select(User).where(User.username == username.strip())).scalar_one_or_none()
        if user is None or user.totp_secret is None or user.totp_confirmed_at is None:
            raise ServiceError(NOT_DEMO)
        try:
            secret = open_secret(session, user.id, user.totp_secret)
        except ServiceError:
            raise ServiceError(NOT_DEMO) from None
    if not hmac.compare_digest(secret, _demo_secret()):
        raise ServiceError(NOT_DEMO)  # a real authenticator's code is never shown
    step = otp_codes.step_of(now)
    left = otp_codes.STEP_SECONDS - int(now.timestamp()) % otp_codes.STEP_SECONDS
    return otp_codes.code_at(secret, step), left
