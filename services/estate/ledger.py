"""分户账 (BY-02): a house's fund account as people see it, and the posting of an approved order.

Balance is the sum of the entries, frozen the sum of the active freezes, available the difference.
The table's CHECK (frozen <= balance) keeps available from going below zero whatever happens above.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, text, update
from sqlmodel import Session

from models import Building, Community, Freeze, FundAccount, House, LedgerEntry, Owner, TaskOrder
from services.core.actor import Actor
from services.review.authority import require_reviewer
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound, PermissionDenied
from services.core.session_check import checked_read, checked_write
from services.estate.scope import community_ids

ENTRY_LABELS = {"deposit": "交存", "interest": "结息", "withdrawal": "支取", "refund": "退款"}
FREEZE_LABELS = {"active": "冻结中", "released": "已解冻", "consumed": "已支取"}
LIMIT = 500  # rows of each list; an account gains a few entries a year


@dataclass(frozen=True)
class EntryRow:
    occurred_at: str
    kind: str
    amount: int
    balance_after: int
    application_no: str
    memo: str


@dataclass(frozen=True)
class FreezeRow:
    created_at: str
    application_no: str
    amount: int
    status: str
    closed_at: str


@dataclass(frozen=True)
class AccountView:
    house_id: int
    account_no: str
    house_label: str
    use: str
    area: int
    owner_name: str
    balance: int
    frozen: int
    available: int
    entries: tuple[EntryRow, ...]  # newest first
    freezes: tuple[FreezeRow, ...]  # newest first


def _require_house(session: Session, actor: Actor, house_id: int) -> tuple[House, Building, Community]:
    """An enterprise sees the houses of its communities, a reviewer those of its district."""
    found = session.execute(
        select(House, Building, Community).join(Building, House.building_id == Building.id)
        .join(Community, Building.community_id == Community.id).where(House.id == house_id)
    ).first()
    if actor.is_enterprise_side:
        allowed = found is not None and found[2].id in community_ids(session, actor)
    elif actor.role == "reviewer":
        allowed = found is not None and found[2].district_id == require_reviewer(actor)
    else:
        raise PermissionDenied("您的角色不能查看分户账")
    if not allowed:
        raise NotFound("房屋不存在或不在本单位的管辖范围内")
    return found[0], found[1], found[2]


def account_view(db, actor: Actor, house_id: int) -> AccountView:
    with checked_read(db, actor) as session:
        house, building, community = _require_house(session, actor, house_id)
        account = session.execute(select(FundAccount).where(FundAccount.house_id == house.id)).scalar_one()
        owner = session.get(Owner, house.owner_id)
        entries = session.execute(
            select(LedgerEntry, TaskOrder.application_no)
            .outerjoin(TaskOrder, LedgerEntry.task_order_id == TaskOrder.id)
            .where(LedgerEntry.account_id == account.id)
            .order_by(LedgerEntry.id.desc()).limit(LIMIT)
        ).all()
        freezes = session.execute(
            select(Freeze, TaskOrder.application_no).join(TaskOrder, Freeze.task_order_id == TaskOrder.id)
            .where(Freeze.account_id == account.id).order_by(Freeze.id.desc()).limit(LIMIT)
        ).all()
        return AccountView(
            house.id, account.account_no, f"{community.name} {building.name} {house.unit}单元 {house.room_no}",
            house.use, house.area, owner.name, account.balance, account.frozen, account.balance - account.frozen,
            tuple(EntryRow(local_text(e.occurred_at), ENTRY_LABELS[e.kind], e.amount, e.balance_after, number or "",
                           e.memo or "") for e, number in entries),
            tuple(FreezeRow(local_text(f.created_at), number or "", f.amount, FREEZE_LABELS[f.status],
                            local_text(f.closed_at)) for f, number in freezes),
        )


def post_withdrawals(session: Session, order_id: int, memo: str) -> tuple[int, int]:
    """On approval, inside the caller's transaction: each active freeze of the order becomes a withdrawal
    entry on its account, balance and frozen drop together, the freeze is consumed.
    Returns (accounts, fen withdrawn)."""
    rows = session.execute(
        select(FundAccount.id, FundAccount.balance, Freeze.amount)
        .join(Freeze, Freeze.account_id == FundAccount.id)
        .where(Freeze.task_order_id == order_id, Freeze.status == "active")
        .with_for_update(of=FundAccount)
    ).all()
    if not rows:
        return 0, 0
    now = utcnow()
    session.execute(insert(LedgerEntry), [
        {"account_id": account_id, "kind": "withdrawal", "amount": -amount, "balance_after": balance - amount,
         "occurred_at": now, "task_order_id": order_id, "memo": memo}
        for account_id, balance, amount in rows
    ])
    session.connection().execute(
        text("UPDATE fund_account SET balance = balance - :amount, frozen = frozen - :amount, "
             "version = version + 1 WHERE id = :account_id"),
        [{"account_id": account_id, "amount": amount} for account_id, _, amount in rows],
    )
    session.execute(
        update(Freeze).where(Freeze.task_order_id == order_id, Freeze.status == "active")
        .values(status="consumed", closed_at=now)
    )
    return len(rows), sum(amount for _, _, amount in rows)
