"""The codes of an authenticator (BY-08): TOTP time steps and one-use recovery codes.

A TOTP code is accepted for the current 30-second step or one step either side (phone clocks drift),
and only for a step later than the last one accepted: that step is moved on by one conditional UPDATE,
so two logins racing with the same code cannot both win. Recovery codes are stored as salted SHA-256
hashes (they are long random strings, so a slow hash adds nothing) and spent by a conditional UPDATE too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, update
from sqlmodel import Session

from models import RecoveryCode, User
from services.core.errors import ValidationError

STEP_SECONDS = 30
WINDOW = 1  # steps either side of now
DIGITS = 6
RECOVERY_COUNT = 10
RECOVERY_LENGTH = 10
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: read off paper without doubt
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation

WRONG_CODE = "动态口令错误或已过期，请输入手机上当前显示的6位口令"
REUSED_CODE = "该动态口令已使用过，请等待手机上出现新的口令后再输入"
WRONG_RECOVERY = "恢复码错误或已使用"
BAD_FORMAT = "请输入6位数字动态口令，或10位恢复码"


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def base32(secret: bytes) -> str:
    import base64

    return base64.b32encode(secret).decode("ascii").rstrip("=")


def grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


QR_BYTES = 106  # a version-5 QR code (37 modules): with its quiet zone 41 columns × 21 lines, fits 80×24


def provisioning_uri(secret: bytes, account: str, issuer: str) -> str:
    totp = pyotp.TOTP(base32(secret))
    uri = totp.provisioning_uri(name=account, issuer_name=issuer)
    if len(uri.encode("utf-8")) > QR_BYTES:  # a long user name: the app shows the issuer alone
        uri = totp.provisioning_uri(name=issuer)
    return uri


def step_of(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: bytes, step: int) -> str:
    return pyotp.TOTP(base32(secret)).generate_otp(step)


def kind_of(code: str) -> tuple[str, str]:
    """('totp', digits) or ('recovery', normalised code); ValidationError for anything else."""
    text = "".join(ch for ch in (code or "") if ch not in " -\t").upper()
    if not text:
        raise ValidationError("请输入动态口令", field="code")
    if len(text) == DIGITS and text.isascii() and text.isdigit():
        return "totp", text
    if len(text) == RECOVERY_LENGTH and all(ch in RECOVERY_ALPHABET for ch in text):
        return "recovery", text
    raise ValidationError(BAD_FORMAT, field="code")


def matching_step(secret: bytes, code: str, now: datetime) -> int | None:
    """The latest step within the window whose code is `code`."""
    current = step_of(now)
    for step in range(current + WINDOW, current - WINDOW - 1, -1):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def claim_step(session: Session, user_id: int, step: int, **values) -> bool:
    """Move the last accepted step on to `step`, only if it is later: True for the one caller that did."""
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.totp_last_step.is_(None) | (User.totp_last_step < step))
        .values(totp_last_step=step, **values)
    )
    return result.rowcount == 1


def recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"wxzj-recovery\x00{user_id}\x00{code}".encode("ascii")).hexdigest()


def new_recovery_codes(session: Session, user_id: int) -> tuple[str, ...]:
    """Replace the user's recovery codes; the plain codes are returned once and never stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = tuple("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
                  for _ in range(RECOVERY_COUNT))
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=recovery_hash(user_id, code)))
    session.flush()
    return tuple(f"{c[:5]}-{c[5:]}" for c in codes)


def spend_recovery(session: Session, user_id: int, code: str, now: datetime) -> bool:
    result = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.code_hash == recovery_hash(user_id, code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=now)
    )
    return result.rowcount == 1


def recovery_left(session: Session, user_id: int) -> int:
    from sqlalchemy import func, select

    return session.execute(
        select(func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    ).scalar_one()
