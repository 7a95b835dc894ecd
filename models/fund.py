"""分户账: one fund account per house, its ledger entries and the freezes of orders under review.

The database itself refuses an overdraft: available (balance − frozen) can never go below zero.
"""

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.base import utcnow

ENTRY_KINDS = ("deposit", "interest", "withdrawal", "refund")
_WITHDRAWAL_ONCE = "kind = 'withdrawal' AND task_order_id IS NOT NULL"


class FundAccount(SQLModel, table=True):
    __tablename__ = "fund_account"
    __table_args__ = (
        CheckConstraint("balance >= 0", name="ck_account_balance"),
        CheckConstraint("frozen >= 0", name="ck_account_frozen"),
        CheckConstraint("frozen <= balance", name="ck_account_available"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    house_id: int = Field(foreign_key="house.id", unique=True)
    account_no: str = Field(max_length=24, unique=True)
    balance: int = Field(default=0, sa_type=BigInteger, description="fen; always the sum of the ledger entries")
    frozen: int = Field(default=0, sa_type=BigInteger, description="fen; the sum of the active freezes")
    opened_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class LedgerEntry(SQLModel, table=True):
    """A signed movement: deposits, interest and refunds add, withdrawals subtract."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        CheckConstraint("kind IN ('deposit','interest','withdrawal','refund')", name="ck_entry_kind"),
        CheckConstraint(
            "(kind = 'withdrawal' AND amount < 0) OR (kind <> 'withdrawal' AND amount > 0)",
            name="ck_entry_sign",
        ),
        CheckConstraint("balance_after >= 0", name="ck_entry_balance_after"),
        Index("ix_ledger_entry_account_time", "account_id", "occurred_at"),
        # An approval posts one withdrawal per account and order; a second one would be a double payment.
        # PostgreSQL's where-clause is added by declare_postgresql_where (for Alembic) and the migration:
        # declared here, it loaded SQLAlchemy's PostgreSQL dialect (~2 MB) into every SQLite process.
        Index("uq_ledger_entry_order_withdrawal", "account_id", "task_order_id", unique=True,
              sqlite_where=text(_WITHDRAWAL_ONCE)),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="fund_account.id")
    kind: str = Field(max_length=12)
    amount: int = Field(sa_type=BigInteger)
    balance_after: int = Field(sa_type=BigInteger)
    occurred_at: datetime = Field(default_factory=utcnow)
    task_order_id: Optional[int] = Field(default=None, foreign_key="task_order.id", index=True)
    memo: Optional[str] = Field(default=None, max_length=200)


class Freeze(SQLModel, table=True):
    """The deduction an order under review holds on an account until approval, return or cancel."""

    __tablename__ = "freeze"
    __table_args__ = (
        UniqueConstraint("account_id", "task_order_id", name="uq_freeze_account_order"),
        CheckConstraint("amount > 0", name="ck_freeze_amount"),
        CheckConstraint("status IN ('active','released','consumed')", name="ck_freeze_status"),
        Index("ix_freeze_account_status", "account_id", "status"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="fund_account.id")
    task_order_id: int = Field(foreign_key="task_order.id", index=True)
    amount: int = Field(sa_type=BigInteger)
    status: str = Field(default="active", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: Optional[datetime] = None


def declare_postgresql_where() -> None:
    """Gives the partial unique index its PostgreSQL where-clause too, for Alembic's view of the tables
    (models/migrations/env.py), where the PostgreSQL dialect is loaded anyway."""
    index = next(i for i in LedgerEntry.__table__.indexes if i.name == "uq_ledger_entry_order_withdrawal")
    index.dialect_options["postgresql"]["where"] = text(_WITHDRAWAL_ONCE)
