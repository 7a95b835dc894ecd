"""Rate limits per account and per source address, counted in the database so every SSH session of the
server shares them. The captcha is readable by a script, so these and the lockout are the real defence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from models import RateEvent
from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.identity.auth import LOGIN_BUSY_MS

LOCAL_SOURCE = "local"
TOO_OFTEN = "操作过于频繁，请稍后再试"

# scope → (attempts allowed, per window)
LIMITS: dict[str, tuple[int, timedelta]] = {
    "login.account": (10, timedelta(minutes=15)),
    "login.source": (30, timedelta(minutes=15)),
    "register.source": (10, timedelta(hours=1)),
    "code_check.recipient": (10, timedelta(minutes=15)),
    "code_check.source": (30, timedelta(minutes=15)),
    "application.account": (10, timedelta(hours=1)),
    "otp.account": (10, timedelta(minutes=15)),
    "login_code.source": (30, timedelta(hours=1)),
    "login_code.account": (10, timedelta(hours=1)),
}


def source_address(environ: Mapping[str, str]) -> str:
    """The SSH client's address (first word of SSH_CONNECTION) when there is one, else "local"."""
    connection = (environ.get("SSH_CONNECTION") or environ.get("SSH_CLIENT") or "").split()
    return connection[0][:64] if connection else LOCAL_SOURCE


def hit(db, scope: str, key: str, *, field: str | None = None, now: datetime | None = None,
        message: str = TOO_OFTEN, busy_ms: int | None = None) -> None:
    """Count one attempt in a transaction of its own (so a failing action still counts), then refuse when the
    window already holds the limit. Old events of the scope are swept on the way. `busy_ms` as in
    `Database.write` (the login's checks wait no longer than the login itself for another writer)."""
    now = now or utcnow()
    limit, window = LIMITS[scope]
    key = (key or "").strip().lower()[:120] or "-"
    with db.write(busy_ms=busy_ms) as session:
        count = session.execute(select(func.count()).select_from(RateEvent).where(
            RateEvent.scope == scope, RateEvent.key == key, RateEvent.occurred_at > now - window)).scalar_one()
        if count < limit:
            session.add(RateEvent(scope=scope, key=key, occurred_at=now))
        session.execute(delete(RateEvent).where(RateEvent.scope == scope, RateEvent.occurred_at <= now - 2 * window))
    if count >= limit:
        raise ValidationError(message, field=field)


def check_login(db, login: str, source: str | None, *, now: datetime | None = None) -> None:
    """Before a login attempt (additive to auth.authenticate's lockout): per account and per source."""
    message = "登录尝试过于频繁，请稍后再试"
    hit(db, "login.source", source or LOCAL_SOURCE, field="password", now=now, message=message,
        busy_ms=LOGIN_BUSY_MS)
    hit(db, "login.account", login, field="password", now=now, message=message, busy_ms=LOGIN_BUSY_MS)
