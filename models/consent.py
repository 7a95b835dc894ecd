"""业主表决 (BY-03): what each house's owner said about an order, recorded from the signed owners' table.

One row per line of the order's snapshot; the foreign key to the line means a consent can only be
recorded for a house the order actually apportions. A house without a row has not been recorded
and counts as 未参与.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow

CONSENT_CHOICES = ("agree", "disagree", "absent")


class OwnerConsent(SQLModel, table=True):
    __tablename__ = "owner_consent"
    __table_args__ = (
        ForeignKeyConstraint(["task_order_id", "house_id"], ["task_order_line.task_order_id",
                                                             "task_order_line.house_id"],
                             name="fk_consent_line"),
        CheckConstraint("choice IN ('agree','disagree','absent')", name="ck_consent_choice"),
    )

    task_order_id: int = Field(foreign_key="task_order.id", primary_key=True)
    house_id: int = Field(foreign_key="house.id", primary_key=True)
    choice: str = Field(max_length=10)
    recorded_by: int = Field(foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow)
