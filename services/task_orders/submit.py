"""任务单确认 and 提交 (BJ-16), and 撤销选中任务单 (BJ-20).

Submission is one transaction: the lines are computed from the balances as they are inside it
(SQLite's BEGIN IMMEDIATE, PostgreSQL's row locks), stored as an immutable snapshot, the
deductions frozen, the number given and the business log written — or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlmodel import Session

from models import Building, FundAccount, House, Owner, TaskOrder, TaskOrderHouse, TaskOrderLine
from reports.data import LineData
from services.core.actor import Actor
from services.task_orders.apportion import HouseWeight, apportion, deduction, house_order_key
from services.core.business_log import record_action
from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.estate.freezes import freeze, release
from services.core.money import format_fen
from services.core.numbers import next_number
from services.core import versioning
from services.core.session_check import checked_read, checked_write
from services.estate.scope import load_order
from services.task_orders.drafts import scope_totals
from services.task_orders.lines import HOUSE_ORDER
from services.task_orders.form import check_complete, form_values

BUSINESS_SUBMIT = "维修支取申请"
BUSINESS_WITHDRAW = "撤销任务单"


@dataclass(frozen=True)
class _Holder:
    """Who a line's house belongs to and which account pays: stored and frozen, not shown."""

    owner_id: int
    account_id: int


@dataclass(frozen=True)
class Confirmation:
    order_id: int
    values: dict[str, str]
    households: int
    area: int
    amount: int
    lines: tuple[LineData, ...]  # in the one line order (services.task_orders.lines)
    total_deducted: int
    total_arrears: int
    arrears_count: int
    version: int | None = None  # the draft's version it was built from, sent back with 提交 (B8)


@dataclass(frozen=True)
class SubmitResult:
    order_id: int
    application_no: str
    amount: int
    households: int
    arrears_count: int
    total_arrears: int


def _lines(session: Session, order: TaskOrder, building_ids: list[int], *,
           lock: bool) -> tuple[list[LineData], list[_Holder]]:
    stmt = (
        select(House.id, House.owner_id, FundAccount.id, Building.name, Building.sort_key, Building.id, House.unit,
               House.floor, House.room, House.room_no, Owner.name, House.area,
               FundAccount.balance - FundAccount.frozen)
        .join(TaskOrderHouse, TaskOrderHouse.house_id == House.id)
        .join(Building, House.building_id == Building.id)
        .join(Owner, House.owner_id == Owner.id)
        .join(FundAccount, FundAccount.house_id == House.id)
        .where(TaskOrderHouse.task_order_id == order.id, House.building_id.in_(building_ids))
        .order_by(*HOUSE_ORDER)
    )
    if lock:
        stmt = stmt.with_for_update(of=FundAccount)
    rows = session.execute(stmt).all()
    weights = [HouseWeight(r[0], house_order_key(r[4] * 100_000 + r[5], r[6], r[7], r[8]), r[11]) for r in rows]
    lines = []
    for r, share in zip(rows, apportion(order.amount_fen, weights, order.method)):
        _, arrears = deduction(share, r[12])
        lines.append(LineData(r[3], r[6], r[7], r[9], r[10], r[11], share, r[12], arrears, r[0]))
    return lines, [_Holder(r[1], r[2]) for r in rows]


def _checked_lines(session: Session, order: TaskOrder, building_ids: list[int], *,
                   lock: bool) -> tuple[list[LineData], list[_Holder]]:
    households, area = scope_totals(session, order, building_ids)
    check_complete(order, households, area)
    return _lines(session, order, building_ids, lock=lock)


def preview(db, actor: Actor, order_id: int, building_ids: list[int]) -> Confirmation:
    """前往确认界面: the whole form checked and the apportionment as it would be submitted now."""
    with checked_read(db, actor) as session:
        order = load_order(session, actor, order_id, for_change=True)
        if order.status != "draft":
            raise ValidationError("该任务单已提交，不能再确认")
        lines, _ = _checked_lines(session, order, building_ids, lock=False)
        return Confirmation(
            order.id, form_values(order), len(lines), sum(x.area for x in lines), order.amount_fen, tuple(lines),
            sum(x.deducted for x in lines), sum(x.arrears for x in lines), sum(1 for x in lines if x.arrears),
            order.version,
        )


def _result(session: Session, order: TaskOrder) -> SubmitResult:
    lines = session.execute(select(TaskOrderLine.arrears).where(TaskOrderLine.task_order_id == order.id)).scalars()
    arrears = list(lines)
    return SubmitResult(order.id, order.application_no, order.amount_fen, len(arrears),
                        sum(1 for a in arrears if a), sum(arrears))


def submit(db, actor: Actor, order_id: int, building_ids: list[int],
           expected_version: int | None = None) -> SubmitResult:
    """提交. A second submit of the same draft (a double key press, a second terminal) finds it
    submitted and answers with the same order instead of making another. With `expected_version`
    (the version the confirmation was built from) a draft changed since is refused (B8)."""
    with checked_write(db, actor) as session:
        order = load_order(session, actor, order_id, for_change=True)
        if order.status != "draft":
            if order.application_no:
                return _result(session, order)
            raise ValidationError("该任务单已撤销，不能提交")
        versioning.expect(order, expected_version)
        lines, holders = _checked_lines(session, order, building_ids, lock=True)
        session.execute(insert(TaskOrderLine), [
            {"task_order_id": order.id, "seq": seq, "house_id": x.house_id, "building_name": x.building, "unit": x.unit,
             "floor": x.floor, "room_no": x.room_no, "owner_id": h.owner_id, "owner_name": x.owner, "area": x.area,
             "share": x.share, "available": x.available, "deducted": x.deducted, "arrears": x.arrears}
            for seq, (x, h) in enumerate(zip(lines, holders), start=1)
        ])
        freeze(session, order.id, {h.account_id: x.deducted for x, h in zip(lines, holders) if x.deducted})
        order.application_no = next_number(session, "task_order")
        order.status, order.submitted_at, order.updated_at = "submitted", utcnow(), utcnow()
        order.draft_step = order.draft_building_id = None
        versioning.bump(order)
        session.add(order)
        arrears = [x.arrears for x in lines if x.arrears]
        record_action(session, actor, BUSINESS_SUBMIT, application_no=order.application_no,
                      summary=f"{len(lines)}户，金额{format_fen(order.amount_fen)}元，欠款{len(arrears)}户",
                      detail={"order_id": order.id})
        session.flush()
        return SubmitResult(order.id, order.application_no, order.amount_fen, len(lines), len(arrears), sum(arrears))


def withdraw(db, actor: Actor, order_ids: list[int]) -> list[str]:
    """撤销选中任务单: orders still awaiting review are withdrawn and their freezes released,
    all of them in one transaction or none."""
    if not order_ids:
        raise ValidationError("请先选中要撤销的任务单")
    with checked_write(db, actor) as session:
        numbers = []
        for order_id in sorted(set(order_ids)):
            order = load_order(session, actor, order_id, for_change=True)
            if order.status != "submitted":
                raise ValidationError(f"任务单 {order.application_no or order.id} 不是待审核状态，不能撤销")
            released = release(session, order.id)
            order.status, order.decided_at, order.updated_at = "withdrawn", utcnow(), utcnow()
            versioning.bump(order)
            session.add(order)
            record_action(session, actor, BUSINESS_WITHDRAW, application_no=order.application_no,
                          summary=f"释放冻结{format_fen(released)}元", detail={"order_id": order.id})
            numbers.append(order.application_no)
        return numbers
