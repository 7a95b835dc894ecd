"""维修支取任务单: the order, the houses saved into its scope, and the lines frozen at submission."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow

ORDER_STATUSES = ("draft", "submitted", "approved", "returned", "cancelled", "withdrawn", "discarded")


class TaskOrder(SQLModel, table=True):
    __tablename__ = "task_order"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft','submitted','approved','returned','cancelled','withdrawn','discarded')",
            name="ck_order_status",
        ),
        CheckConstraint("method IN ('area','household')", name="ck_order_method"),
        CheckConstraint("amount_fen IS NULL OR amount_fen > 0", name="ck_order_amount"),
        CheckConstraint("budget_fen IS NULL OR budget_fen > 0", name="ck_order_budget"),
        CheckConstraint(
            "amount_fen IS NULL OR budget_fen IS NULL OR amount_fen <= budget_fen", name="ck_order_within_budget"
        ),
        CheckConstraint(
            "status = 'draft' OR status = 'discarded' OR application_no IS NOT NULL", name="ck_order_numbered"
        ),
        Index("ix_task_order_org_status", "organisation_id", "status"),
        Index("ix_task_order_status_submitted", "status", "submitted_at"),  # the reviewers' queues
        Index("ix_task_order_replaces", "replaces_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    community_id: int = Field(foreign_key="community.id", index=True)
    created_by: int = Field(foreign_key="user_account.id")
    status: str = Field(default="draft", max_length=10)
    application_no: Optional[str] = Field(default=None, max_length=24, unique=True)
    submit_token: Optional[str] = Field(default=None, max_length=40, unique=True)
    replaces_id: Optional[int] = Field(default=None, foreign_key="task_order.id")
    # the form (BJ-10)
    project_name: Optional[str] = Field(default=None, max_length=100)
    repair_category: Optional[str] = Field(default=None, max_length=20)
    repair_part: Optional[str] = Field(default=None, max_length=200)
    repair_content: Optional[str] = Field(default=None, max_length=1000)
    emergency: bool = Field(default=False)
    contractor: Optional[str] = Field(default=None, max_length=100)
    budget_fen: Optional[int] = Field(default=None, sa_type=BigInteger)
    amount_fen: Optional[int] = Field(default=None, sa_type=BigInteger)
    method: str = Field(default="area", max_length=10)
    plan_start: Optional[date] = None
    plan_end: Optional[date] = None
    contact_name: Optional[str] = Field(default=None, max_length=40)
    contact_phone: Optional[str] = Field(default=None, max_length=20)
    total_households: Optional[int] = None
    total_area: Optional[int] = Field(default=None, sa_type=BigInteger, description="0.01 ㎡")
    rate_text: Optional[str] = Field(default=None, max_length=20, description="分摊标准 as shown, 元/㎡")
    remark: Optional[str] = Field(default=None, max_length=500)
    # where the clerk was, so a dropped connection reopens the draft there (BY-04)
    draft_step: Optional[str] = Field(default=None, max_length=20)
    draft_building_id: Optional[int] = Field(default=None, foreign_key="building.id")
    # the authority's decision
    submitted_at: Optional[datetime] = None
    decided_at: Optional[datetime] = None
    decided_by: Optional[int] = Field(default=None, foreign_key="user_account.id")
    reason: Optional[str] = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class TaskOrderHouse(SQLModel, table=True):
    """A house saved into an order's apportionment scope (yellow in the grid)."""

    __tablename__ = "task_order_house"

    task_order_id: int = Field(foreign_key="task_order.id", primary_key=True)
    house_id: int = Field(foreign_key="house.id", primary_key=True, index=True)


class TaskOrderLine(SQLModel, table=True):
    """The immutable apportionment snapshot taken at submission, one row per house."""

    __tablename__ = "task_order_line"
    __table_args__ = (
        UniqueConstraint("task_order_id", "house_id", name="uq_line_order_house"),
        CheckConstraint("share >= 0 AND available >= 0 AND deducted >= 0 AND arrears >= 0", name="ck_line_money"),
        CheckConstraint("deducted + arrears = share", name="ck_line_sum"),
        Index("ix_line_order_seq", "task_order_id", "seq"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    task_order_id: int = Field(foreign_key="task_order.id")
    # The line's place in the one line order (building order, unit, floor, room), numbered from 1 at
    # submission: every screen and document lists the snapshot by it (services.task_orders.lines).
    seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    house_id: int = Field(foreign_key="house.id", index=True)
    building_name: str = Field(max_length=40)
    unit: int
    floor: int
    room_no: str = Field(max_length=20)
    owner_id: int = Field(foreign_key="owner.id")
    owner_name: str = Field(max_length=100)
    area: int
    share: int = Field(sa_type=BigInteger)
    available: int = Field(sa_type=BigInteger)
    deducted: int = Field(sa_type=BigInteger)
    arrears: int = Field(sa_type=BigInteger)
