"""The task order home (BJ-08, BJ-19, BJ-21): the organisation's orders, one order, its lines."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from models import Community, TaskOrder, TaskOrderLine
from services.core.sql import int_sum
from reports.data import LineData
from services.core.actor import Actor
from services.core.clock import local_text
from services.core.errors import ValidationError
from services.core.session_check import checked_read, checked_write
from services.estate.scope import load_order, visible_organisation_ids
from services.task_orders import lines
from services.task_orders.form import form_values

STATUS_LABELS = {
    "draft": "草稿", "submitted": "待审核", "approved": "审核通过", "returned": "审批退回",
    "cancelled": "已撤销（管理部）", "withdrawn": "已撤销", "discarded": "已作废",
}
TABS = {"applied": ("submitted", "approved", "withdrawn"), "returned": ("returned", "cancelled")}
LIMIT = 500


@dataclass(frozen=True)
class OrderRow:
    order_id: int
    application_no: str
    community: str
    project_name: str
    amount: int
    households: int
    status: str
    status_label: str
    submitted_at: str
    decided_at: str
    reason: str


@dataclass(frozen=True)
class OrderDetail:
    row: OrderRow
    values: dict[str, str]
    total_share: int
    total_deducted: int
    total_arrears: int
    arrears_count: int
    replaces_application_no: str


def _row(order: TaskOrder, community: str, households: int) -> OrderRow:
    return OrderRow(order.id, order.application_no or "", community, order.project_name or "", order.amount_fen or 0,
                    households, order.status, STATUS_LABELS[order.status], local_text(order.submitted_at),
                    local_text(order.decided_at), order.reason or "")


def _counts():
    return (select(TaskOrderLine.task_order_id, func.count().label("n"))
            .group_by(TaskOrderLine.task_order_id).subquery())


def list_orders(db, actor: Actor, tab: str = "applied") -> list[OrderRow]:
    """The orders of one tab, newest first (at most LIMIT)."""
    if tab not in TABS:
        raise ValidationError("未知的标签页")
    with checked_read(db, actor) as session:
        counts = _counts()
        rows = session.execute(
            select(TaskOrder, Community.name, counts.c.n)
            .join(Community, TaskOrder.community_id == Community.id)
            .outerjoin(counts, counts.c.task_order_id == TaskOrder.id)
            .where(TaskOrder.organisation_id.in_(visible_organisation_ids(session, actor)),
                   TaskOrder.status.in_(TABS[tab]))
            .order_by(TaskOrder.submitted_at.desc(), TaskOrder.id.desc())
            .limit(LIMIT)
        ).all()
        return [_row(order, name, n or 0) for order, name, n in rows]


def order_detail(db, actor: Actor, order_id: int) -> OrderDetail:
    with checked_read(db, actor) as session:
        order = load_order(session, actor, order_id)
        community = session.get(Community, order.community_id).name
        n, share, deducted, arrears, short = session.execute(
            select(func.count(), int_sum(TaskOrderLine.share),
                   int_sum(TaskOrderLine.deducted),
                   int_sum(TaskOrderLine.arrears),
                   int_sum(case((TaskOrderLine.arrears > 0, 1), else_=0)))
            .where(TaskOrderLine.task_order_id == order.id)).one()
        replaced = session.get(TaskOrder, order.replaces_id) if order.replaces_id else None
        return OrderDetail(_row(order, community, n), form_values(order), share, deducted, arrears, short,
                           replaced.application_no if replaced else "")


def order_lines(db, actor: Actor, order_id: int) -> list[LineData]:
    """到户支取详细信息: the stored snapshot, in building order, unit, floor, room."""
    with checked_read(db, actor) as session:
        return lines.read(session, load_order(session, actor, order_id).id)
