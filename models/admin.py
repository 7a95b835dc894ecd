"""Operator administration: the real-name register the two-factor check reads, and the real-name
authentication requests (SH-06) an enterprise administrator reviews."""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class RealNameRecord(SQLModel, table=True):
    """Who a mobile number is registered to (手机二要素): imported from the carriers' real-name data,
    or filled by the demo. The default identity-verification provider reads it."""

    __tablename__ = "real_name_register"

    id: Optional[int] = Field(default=None, primary_key=True)
    mobile: str = Field(max_length=11, unique=True)
    name: str = Field(max_length=40)
    source: str = Field(default="import", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class RealNameRequest(SQLModel, table=True):
    """A subordinate's real-name authentication request, decided by their enterprise's administrator."""

    __tablename__ = "real_name_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected')", name="ck_realname_status"),
        Index("ix_real_name_request_enterprise_status", "enterprise_id", "status"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    identity_id: int = Field(foreign_key="identity.id")
    enterprise_id: int = Field(foreign_key="organisation.id")  # whose administrator decides
    department_id: int = Field(foreign_key="organisation.id")
    real_name: str = Field(max_length=40)
    id_type: str = Field(max_length=20)
    id_no: str = Field(max_length=30)
    mobile: str = Field(max_length=11)
    status: str = Field(default="pending", max_length=10)
    reason: Optional[str] = Field(default=None, max_length=200)
    submitted_at: datetime = Field(default_factory=utcnow)
    decided_by: Optional[int] = Field(default=None, foreign_key="user_account.id")
    decided_at: Optional[datetime] = None
    result_seen: bool = Field(default=False)  # the requester has been shown the decision at a login
    version: int = Field(default=1)
