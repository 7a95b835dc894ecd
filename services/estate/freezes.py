"""Freezes on fund accounts: taken at submission, released on withdrawal, return or cancel.

Every change moves the account's `frozen` total in the same statement batch, and the table's
CHECK (frozen <= balance) makes an overdraft impossible even if a rule above were wrong.
"""

from __future__ import annotations

from sqlalchemy import insert, select, text, update
from sqlmodel import Session

from models import Freeze
from services.core.clock import utcnow


def freeze(session: Session, order_id: int, amounts: dict[int, int]) -> None:
    """Freeze `amounts` (account id → fen, all > 0) for the order."""
    if not amounts:
        return
    now = utcnow()
    session.execute(insert(Freeze), [
        {"account_id": account_id, "task_order_id": order_id, "amount": amount, "status": "active",
         "created_at": now}
        for account_id, amount in amounts.items()
    ])
    session.connection().execute(
        text("UPDATE fund_account SET frozen = frozen + :amount, version = version + 1 WHERE id = :account_id"),
        [{"account_id": a, "amount": amount} for a, amount in amounts.items()],
    )


def release(session: Session, order_id: int) -> int:
    """Release the order's active freezes; returns the fen released."""
    rows = session.execute(
        select(Freeze.account_id, Freeze.amount).where(Freeze.task_order_id == order_id, Freeze.status == "active")
    ).all()
    if not rows:
        return 0
    session.connection().execute(
        text("UPDATE fund_account SET frozen = frozen - :amount, version = version + 1 WHERE id = :account_id"),
        [{"account_id": a, "amount": amount} for a, amount in rows],
    )
    session.execute(
        update(Freeze).where(Freeze.task_order_id == order_id, Freeze.status == "active")
        .values(status="released", closed_at=utcnow())
    )
    return sum(amount for _, amount in rows)
