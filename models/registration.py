"""Applications to become an authenticated unit (BJ-05 物业单位注册申请, SH-01..04 企业注册) and the one-time
recovery codes of an administrator's authenticator (BY-08)."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class UnitApplication(SQLModel, table=True):
    """One application; `data` holds the form as JSON so a returned application can be corrected and resubmitted."""

    __tablename__ = "unit_application"
    __table_args__ = (
        CheckConstraint("status IN ('submitted','approved','returned')", name="ck_unit_app_status"),
        CheckConstraint("kind IN ('beijing_unit','shanghai_enterprise')", name="ck_unit_app_kind"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    application_no: str = Field(max_length=24, unique=True)
    kind: str = Field(max_length=24)
    status: str = Field(default="submitted", max_length=10, index=True)
    applicant_id: int = Field(foreign_key="user_account.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    name: str = Field(max_length=100)
    credit_code: str = Field(max_length=18, index=True)
    data: str = Field(default="{}")
    submitted_at: datetime = Field(default_factory=utcnow)
    due_on: Optional[date] = None
    decided_at: Optional[datetime] = None
    decided_by: Optional[int] = Field(default=None, foreign_key="user_account.id")
    return_reason: Optional[str] = Field(default=None, max_length=500)
    reason_seen_at: Optional[datetime] = None
    version: int = Field(default=1)


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_code"
    __table_args__ = (Index("ix_recovery_code_hash", "user_id", "code_hash", unique=True),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    code_hash: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: Optional[datetime] = None
