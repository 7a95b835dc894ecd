"""Writing messages into the outbox (inside the caller's transaction) and reading it back, masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from models import OutboxMessage
from services.core.clock import utcnow
from services.notify.templates import render

CHANNELS = ("sms", "email")
MASK = "******"
STATUS_LABELS = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败"}


def queue(session: Session, channel: str, recipient: str, template: str, *, secret: str | None = None,
          user_id: int | None = None, now: datetime | None = None, **values) -> OutboxMessage:
    """Add a message in the caller's transaction: it exists exactly when the action that caused it commits.

    `secret` (a code, an initial password) is one of `values`; its starred-out text is kept beside the text.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    subject, text = render(template, **values)
    masked = None
    if secret:
        masked = render(template, **{k: (MASK if v == secret else v) for k, v in values.items()})[1]
    message = OutboxMessage(channel=channel, recipient=recipient, template=template, subject=subject, text=text,
                            masked_text=masked, user_id=user_id, next_try_at=now or utcnow(),
                            created_at=now or utcnow())
    session.add(message)
    session.flush()
    return message


def mask(session: Session, message_id: int | None) -> None:
    """Replace the text by its starred-out form (after delivery, or once its code was used or expired)."""
    if message_id is None:
        return
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.masked_text.is_not(None))
        .values(text=OutboxMessage.masked_text)
    )


def mask_recipient(recipient: str) -> str:
    """138****5678 for a mobile, z***@example.com for an address."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) >= 7:
        return recipient[:3] + "*" * (len(recipient) - 7) + recipient[-4:]
    return "*" * len(recipient)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    channel: str
    recipient: str  # masked
    template: str
    text: str
    status: str
    attempts: int
    last_error: str | None


def list_messages(db, *, limit: int = 50, status: str | None = None) -> list[OutboxRow]:
    """Newest first, recipients masked. For the operator's `wxzj outbox` (and the demo user reading a code)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    with db.read() as session:
        rows = session.execute(query).scalars().all()
    return [OutboxRow(m.id, m.created_at, m.channel, mask_recipient(m.recipient), m.template, m.text, m.status,
                      m.attempts, m.last_error) for m in rows]
