"""Recording business actions: a business-log row (BJ-22) and an audit entry, always together and
always inside the caller's transaction, so an action that rolls back leaves no trace of either.
The audit chain's head is sealed outside the table (services.core.audit_seal)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session

from models import AuditEntry, BusinessLog
from services.core import audit_seal
from services.core.actor import Actor
from services.core.clock import utcnow
from services.core.limits import clip
from services.core.numbers import next_number

GENESIS_HASH = "0" * 64


def _entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    payload = json.dumps(
        [prev_hash, entry.occurred_at.isoformat(), entry.user_id, entry.organisation_id,
         entry.action, entry.target, entry.detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _serialise(session: Session) -> None:
    """Enter the one queue of the trail's appenders, so two transactions cannot chain onto the same
    predecessor: on PostgreSQL a transaction-long advisory lock (SQLite's BEGIN IMMEDIATE already lets
    one writer in at a time). The caller's own pending changes are written first: every business
    action in the database waits for the holder until it commits, so the holder's time in the queue
    is kept to the log's own few statements (taking it again in the same transaction costs nothing)."""
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7279)"))


def audit(
    session: Session,
    action: str,
    *,
    user_id: int | None,
    organisation_id: int | None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append to the hash-chained audit trail (BY-09)."""
    _serialise(session)
    prev, head = audit_seal.previous_hash(session, GENESIS_HASH)
    entry = AuditEntry(
        occurred_at=utcnow(),
        user_id=user_id,
        organisation_id=organisation_id,
        action=action,
        target=target,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        prev_hash=prev,
        hash="",
    )
    entry.hash = _entry_hash(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    audit_seal.move_head(session, head, entry)
    return entry


def verify_audit_chain(session: Session) -> list[int]:
    """Ids of audit entries whose hash does not follow from their predecessor."""
    broken: list[int] = []
    prev = GENESIS_HASH
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        if entry.prev_hash != prev or _entry_hash(prev, entry) != entry.hash:
            broken.append(entry.id)
        prev = entry.hash
    return broken


def record_action(
    session: Session,
    actor: Actor | None,
    business_type: str,
    *,
    application_no: str | None = None,
    status: str = "成功",
    summary: str | None = None,
    detail: dict[str, Any] | None = None,
    user_id: int | None = None,
    organisation_id: int | None = None,
) -> BusinessLog:
    """One business action: its business-log row plus its audit entry, in the caller's transaction.
    The queue first, then the serial number: a transaction holding the serial counter's row while it
    waited for the queue would make a second queue behind it."""
    _serialise(session)
    user_id = actor.user_id if actor else user_id
    organisation_id = actor.organisation_id if actor else organisation_id
    row = BusinessLog(
        serial_no=next_number(session, "serial"),
        application_no=application_no,
        business_type=business_type,
        occurred_at=utcnow(),
        user_id=user_id,
        organisation_id=organisation_id,
        status=status,
        summary=clip(summary, BusinessLog, "summary"),  # a summary quoting a 500-character reason must still fit
    )
    if actor is not None:
        row.channel = actor.channel
    session.add(row)
    audit(
        session,
        business_type,
        user_id=user_id,
        organisation_id=organisation_id,
        target=application_no,
        detail={"serial_no": row.serial_no, "status": status, **(detail or {})},
    )
    return row
