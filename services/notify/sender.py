"""Delivering the outbox: claim due messages, send each outside any transaction, record the outcome.

A failed try is retried with exponential back-off (30 s, 1 min, 2 min, … at most an hour apart) until
MAX_ATTEMPTS; a channel without settings is skipped, so its messages wait in the outbox. A claim older than
CLAIM_TIMEOUT (a sender that died mid-send) is taken over by the next sender.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from models import OutboxMessage
from services.core.clock import utcnow
from services.notify import outbox
from services.notify.settings import NotifySettings
from services.notify.transports import DeliveryFailed, send_email, send_sms

log = logging.getLogger("wxzj.notify")

MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
CLAIM_TIMEOUT = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """The wait after the attempts-th failed try."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


@dataclass
class DeliveryReport:
    sent: int = 0
    retry: int = 0
    failed: int = 0


def _claim(db, settings: NotifySettings, now: datetime, limit: int) -> list[OutboxMessage]:
    channels = [c for c in outbox.CHANNELS if settings.configured(c)]
    if not channels:
        return []
    with db.write() as session:
        due = session.execute(
            select(OutboxMessage.id)
            .where(OutboxMessage.channel.in_(channels),
                   or_(
                       (OutboxMessage.status == "pending") & (OutboxMessage.next_try_at <= now),
                       (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at <= now - CLAIM_TIMEOUT),
                   ))
            .order_by(OutboxMessage.next_try_at)
            .limit(limit)
        ).scalars().all()
        if not due:
            return []
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(due))
                        .values(status="sending", claimed_at=now))
        return list(session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(due))).scalars())


def _send(settings: NotifySettings, message: OutboxMessage) -> None:
    if message.channel == "email":
        send_email(settings.smtp, message.recipient, message.subject or "", message.text)
    else:
        send_sms(settings.sms, message.recipient, message.text)


def deliver_due(db, settings: NotifySettings, *, now: datetime | None = None, limit: int = 50) -> DeliveryReport:
    """One pass over the due messages. Safe to run from several processes at once."""
    now = now or utcnow()
    report = DeliveryReport()
    for message in _claim(db, settings, now, limit):
        error = None
        try:
            _send(settings, message)
        except DeliveryFailed as exc:
            error = str(exc)[:300]
        with db.write() as session:
            if error is None:
                session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)
                                .values(status="sent", sent_at=utcnow(), attempts=message.attempts + 1,
                                        last_error=None))
                outbox.mask(session, message.id)
                report.sent += 1
                log.info("outbox %s delivered by %s", message.id, message.channel)
                continue
            attempts = message.attempts + 1
            gave_up = attempts >= MAX_ATTEMPTS
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(
                status="failed" if gave_up else "pending", attempts=attempts, last_error=error,
                next_try_at=now + backoff(attempts), claimed_at=None))
            if gave_up:
                report.failed += 1
            else:
                report.retry += 1
            log.warning("outbox %s by %s failed (try %s): %s", message.id, message.channel, attempts, error)
    return report
