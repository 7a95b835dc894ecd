"""Messages to people (SMS and e-mail) waiting in the outbox, the verification codes they carry, and the
events the rate limits count."""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class OutboxMessage(SQLModel, table=True):
    """One message, written in the transaction of the action that causes it and delivered afterwards.

    status: pending (waiting for its next try), sending (claimed by a sender), sent, failed (gave up).
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("channel IN ('sms','email')", name="ck_outbox_channel"),
        CheckConstraint("status IN ('pending','sending','sent','failed')", name="ck_outbox_status"),
        CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
        Index("ix_outbox_status_next", "status", "next_try_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str = Field(max_length=5)
    recipient: str = Field(max_length=100, index=True)
    template: str = Field(max_length=40)
    subject: Optional[str] = Field(default=None, max_length=200)
    text: str = Field(max_length=2000)
    # the text with its secret (code, initial password) starred out; replaces `text` once the message is
    # delivered or its code used, so a secret stays readable only while it is still needed
    masked_text: Optional[str] = Field(default=None, max_length=2000)
    status: str = Field(default="pending", max_length=10)
    attempts: int = Field(default=0)
    next_try_at: datetime = Field(default_factory=utcnow)
    claimed_at: Optional[datetime] = None
    sent_at: Optional[datetime] = None
    last_error: Optional[str] = Field(default=None, max_length=300)
    user_id: Optional[int] = Field(default=None, foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class VerificationCode(SQLModel, table=True):
    """A 6-digit code sent to a mobile or an e-mail address; only its hash is kept."""

    __tablename__ = "verification_code"
    __table_args__ = (
        Index("ix_code_recipient_purpose", "recipient", "purpose", "created_at"),
        CheckConstraint("tries >= 0", name="ck_code_tries"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=30)
    channel: str = Field(max_length=5)
    recipient: str = Field(max_length=100)
    code_hash: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    tries: int = Field(default=0)
    used_at: Optional[datetime] = None
    source: Optional[str] = Field(default=None, max_length=64, index=True)
    outbox_id: Optional[int] = Field(default=None, foreign_key="outbox_message.id")


class RateEvent(SQLModel, table=True):
    """One counted attempt (a login, a registration, a code check) of an account or from a source address."""

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_scope_key_time", "scope", "key", "occurred_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    scope: str = Field(max_length=30)
    key: str = Field(max_length=120)
    occurred_at: datetime = Field(default_factory=utcnow)
