"""What the system remembers of business: the business log, the audit trail, printed documents,
attachments and the counters behind application and serial numbers."""

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from models.base import utcnow


class BusinessLog(SQLModel, table=True):
    """业务流水: one row per business action (BJ-22)."""

    __tablename__ = "business_log"
    # One index per filter the query offers, each ending in the time the pages are ordered by
    # (SQLite appends the rowid, which breaks ties): an organisation's own pages, then the whole log's.
    __table_args__ = (
        Index("ix_business_log_org_time", "organisation_id", "occurred_at"),
        Index("ix_business_log_org_type_time", "organisation_id", "business_type", "occurred_at"),
        Index("ix_business_log_org_channel_time", "organisation_id", "channel", "occurred_at"),
        Index("ix_business_log_user_time", "user_id", "occurred_at"),
        Index("ix_business_log_time", "occurred_at"),
        Index("ix_business_log_type_time", "business_type", "occurred_at"),
        Index("ix_business_log_channel_time", "channel", "occurred_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    serial_no: str = Field(max_length=24, unique=True)
    application_no: Optional[str] = Field(default=None, max_length=24, index=True)
    business_type: str = Field(max_length=30)
    channel: str = Field(default="终端", max_length=20)
    occurred_at: datetime = Field(default_factory=utcnow)
    user_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    status: str = Field(default="成功", max_length=20)
    summary: Optional[str] = Field(default=None, max_length=500)


class AuditEntry(SQLModel, table=True):
    """Append-only trail; each entry's hash covers the previous one, so an edit breaks the chain."""

    __tablename__ = "audit_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow)
    user_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    action: str = Field(max_length=40, index=True)
    target: Optional[str] = Field(default=None, max_length=80)
    detail: str = Field(default="{}")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class PrintedDocument(SQLModel, table=True):
    """A printed form and the exact data it was rendered from; a reprint renders the same data."""

    __tablename__ = "printed_document"

    id: Optional[int] = Field(default=None, primary_key=True)
    serial_no: str = Field(max_length=24, unique=True)
    doc_type: str = Field(max_length=30, index=True)
    business_type: str = Field(max_length=30)
    application_no: Optional[str] = Field(default=None, max_length=24, index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    printed_by: int = Field(foreign_key="user_account.id")
    printed_at: datetime = Field(default_factory=utcnow)
    reprint_of_id: Optional[int] = Field(default=None, foreign_key="printed_document.id")
    data: str = Field(description="JSON snapshot the document was rendered from")


class Attachment(SQLModel, table=True):
    """A file handed in with an application. Since 0003 the bytes live in the attachment store under the
    data directory (services.core.attachments), found by `sha256`; `content` is left empty."""

    __tablename__ = "attachment"

    id: Optional[int] = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    association_id: Optional[int] = Field(default=None, foreign_key="association.id", index=True)
    application_no: Optional[str] = Field(default=None, max_length=24, index=True)
    kind: str = Field(max_length=40)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int = Field(ge=0)
    sha256: str = Field(max_length=64)
    content: Optional[bytes] = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    uploaded_by: int = Field(foreign_key="user_account.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class NumberCounter(SQLModel, table=True):
    """The last number handed out per prefix and day; bumped inside the caller's write transaction."""

    __tablename__ = "number_counter"

    prefix: str = Field(max_length=8, primary_key=True)
    day: str = Field(max_length=8, primary_key=True)
    last: int = Field(default=0)


class LoginGuard(SQLModel, table=True):
    """Failed logins under a name no account has, so an unknown name locks exactly as a known one
    does (B6). Keyed by a hash: what people type as a user name is sometimes their password."""

    __tablename__ = "login_guard"

    key: str = Field(primary_key=True, max_length=64)
    failed_attempts: int = Field(default=0)
    locked_until: Optional[datetime] = None


class AuditHead(SQLModel, table=True):
    """The audit chain's newest entry, kept outside audit_entry and sealed with the data directory's
    key: deleting the last entries, or rewriting the chain, no longer goes unnoticed (C12)."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_id: int = Field(default=0)
    last_hash: str = Field(max_length=64)
    entries: int = Field(default=0)
    seal: str = Field(max_length=64)
