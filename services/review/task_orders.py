"""The authority's review (BY-01): the reviewer's queue, the order under review, and the decisions.

Approve: every freeze of the order becomes a withdrawal entry (services.estate.ledger), the order is
approved and the business log says so — one transaction. Return (审批退回) and cancel (撤销): the
freezes are released and the reason stored — one transaction each. Only a reviewer of the order's
district may do any of it (services.review.authority).

Deadline: a task order is due five working days after the day it was submitted. The manuals give
three working days for area associations, a form with nothing to check but documents; a withdrawal
order needs the apportionment lines and the owners' signatures checked as well, and five working
days is the time Chinese cities commonly allow for reviewing a maintenance-fund withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from models import Community, Organisation, TaskOrder, TaskOrderLine
from reports.data import LineData
from services.core.actor import Actor
from services.review.authority import order_in_district, require_reviewer
from services.core.business_log import record_action
from services.core.clock import local_text, utcnow
from services.review.consent import Tally, order_tally
from services.core.errors import ServiceError, ValidationError
from services.estate.freezes import release
from services.estate.ledger import post_withdrawals
from services.core.money import format_fen
from services.core import versioning
from services.core.limits import column_limit
from services.core.parsing import check_text
from services.core.session_check import checked_read, checked_write
from services.task_orders.form import form_values
from services.task_orders.queries import STATUS_LABELS
from services.review.workdays import deadline

TASK_ORDER_REVIEW_DAYS = 5
QUEUE_LIMIT = 500
REASON_MAX = column_limit(TaskOrder, "reason")  # the dialog and the column agree (D13)
BUSINESS_APPROVE = "维修支取审核通过"
BUSINESS_RETURN = "维修支取审批退回"
BUSINESS_CANCEL = "维修支取撤销（管理部）"


class ConsentNotMet(ServiceError):
    """The owners' vote does not reach art. 278; approving needs the reviewer's explicit confirmation."""


@dataclass(frozen=True)
class QueueRow:
    order_id: int
    application_no: str
    community: str
    enterprise: str
    project_name: str
    amount: int
    households: int
    emergency: bool
    submitted_at: str
    deadline: str
    days_left: int


@dataclass(frozen=True)
class ReviewDetail:
    order_id: int
    application_no: str
    status: str
    status_label: str
    community: str
    enterprise: str
    submitted_at: str
    deadline: str
    decided_at: str
    reason: str
    values: dict[str, str]
    households: int
    area: int
    total_share: int
    total_deducted: int
    total_arrears: int
    arrears_count: int
    lines: tuple[LineData, ...]  # in the one line order, each with its owner's vote
    consent: Tally
    version: int = 0  # sent back with the decision (B8)


def _counts():
    return (select(TaskOrderLine.task_order_id, func.count().label("n"))
            .group_by(TaskOrderLine.task_order_id).subquery())


def queue(db, actor: Actor) -> tuple[list[QueueRow], int]:
    """The district's task orders awaiting review, oldest first: (first QUEUE_LIMIT, how many in all)."""
    district_id = require_reviewer(actor)
    with checked_read(db, actor) as session:
        waiting = (select(TaskOrder.id).join(Community, TaskOrder.community_id == Community.id)
                   .where(TaskOrder.status == "submitted", Community.district_id == district_id))
        total = session.execute(select(func.count()).select_from(waiting.subquery())).scalar_one()
        counts = _counts()
        rows = session.execute(
            select(TaskOrder, Community.name, Organisation.name, counts.c.n)
            .join(Community, TaskOrder.community_id == Community.id)
            .join(Organisation, TaskOrder.organisation_id == Organisation.id)
            .outerjoin(counts, counts.c.task_order_id == TaskOrder.id)
            .where(TaskOrder.id.in_(waiting))
            .order_by(TaskOrder.submitted_at, TaskOrder.id).limit(QUEUE_LIMIT)
        ).all()
    result = []
    for order, community, enterprise, n in rows:
        due = deadline(order.submitted_at, TASK_ORDER_REVIEW_DAYS)
        result.append(QueueRow(order.id, order.application_no, community, enterprise, order.project_name or "",
                               order.amount_fen or 0, n or 0, order.emergency, local_text(order.submitted_at),
                               due.label, due.days_left))
    return result, total


def review_detail(db, actor: Actor, order_id: int) -> ReviewDetail:
    """The form, the totals, every apportionment line with its owner's vote, and the vote's result."""
    with checked_read(db, actor) as session:
        order, community = order_in_district(session, actor, order_id)
        enterprise = session.get(Organisation, order.organisation_id).name
        voted, result = order_tally(session, order)
        lines = tuple(voted)
        due = deadline(order.submitted_at, TASK_ORDER_REVIEW_DAYS).label if order.status == "submitted" else ""
        return ReviewDetail(
            order.id, order.application_no, order.status, STATUS_LABELS[order.status], community.name, enterprise,
            local_text(order.submitted_at), due, local_text(order.decided_at), order.reason or "", form_values(order),
            len(lines), sum(x.area for x in lines), sum(x.share for x in lines), sum(x.deducted for x in lines),
            sum(x.arrears for x in lines), sum(1 for x in lines if x.arrears), lines, result, order.version,
        )


def _awaiting(session: Session, actor: Actor, order_id: int) -> TaskOrder:
    order, _ = order_in_district(session, actor, order_id, lock=True)
    if order.status != "submitted":
        raise ValidationError(f"任务单 {order.application_no} 当前为“{STATUS_LABELS[order.status]}”，不能再审核")
    return order


def _decide(session: Session, actor: Actor, order: TaskOrder, status: str, reason: str | None) -> None:
    now = utcnow()
    order.status, order.decided_at, order.decided_by, order.reason = status, now, actor.user_id, reason
    order.updated_at = now
    versioning.bump(order)
    session.add(order)


def approve(db, actor: Actor, order_id: int, *, override_reason: str | None = None,
            expected_version: int | None = None) -> str:
    """审核通过. An order whose owners' vote fails art. 278 raises ConsentNotMet unless the reviewer
    approves it anyway with a typed reason (override_reason), and then the business log keeps it."""
    reason = clean_reason(override_reason) if override_reason is not None else None
    with checked_write(db, actor) as session:
        order = _awaiting(session, actor, order_id)
        versioning.expect(order, expected_version)
        _, result = order_tally(session, order)
        if not result.passed and reason is None:
            raise ConsentNotMet(f"{result.verdict}。如确需审核通过，请填写理由并确认")
        accounts, total = post_withdrawals(session, order.id, f"维修支取 {order.application_no}")
        _decide(session, actor, order, "approved", None)
        if order.emergency:
            vote = "应急维修，免于业主表决"
        elif result.passed:
            vote = "业主表决通过"
        else:
            vote = f"业主表决未达《民法典》第二百七十八条规定，经审核员确认后审核通过，理由：{reason}"
        detail = {"order_id": order.id, "consent_passed": result.passed,
                  "consent_overridden": not result.passed, "emergency": order.emergency}
        if not result.passed:
            detail["override_reason"] = reason
        summary = f"支取{accounts}户，金额{format_fen(total)}元；{vote}"
        if len(summary) > 500:  # the column's limit; the audit detail keeps the whole reason
            summary = summary[:499] + "…"
        record_action(session, actor, BUSINESS_APPROVE, application_no=order.application_no,
                      summary=summary, detail=detail)
        return order.application_no


def clean_reason(reason: str) -> str:
    """The reason as stored, or a ValidationError at the reason field."""
    text = check_text(reason, "reason", "原因", REASON_MAX)
    if not text:
        raise ValidationError("请填写原因", field="reason")
    return text


def _refuse(db, actor: Actor, order_id: int, reason: str, status: str, business_type: str,
            expected_version: int | None = None) -> str:
    reason = clean_reason(reason)
    with checked_write(db, actor) as session:
        order = _awaiting(session, actor, order_id)
        versioning.expect(order, expected_version)
        released = release(session, order.id)
        _decide(session, actor, order, status, reason)
        record_action(session, actor, business_type, application_no=order.application_no,
                      summary=f"原因：{reason}；解冻{format_fen(released)}元", detail={"order_id": order.id})
        return order.application_no


def return_order(db, actor: Actor, order_id: int, reason: str, expected_version: int | None = None) -> str:
    """审批退回: the enterprise may modify it into a new order (BJ-21)."""
    return _refuse(db, actor, order_id, reason, "returned", BUSINESS_RETURN, expected_version)


def cancel_order(db, actor: Actor, order_id: int, reason: str, expected_version: int | None = None) -> str:
    """撤销 by the authority."""
    return _refuse(db, actor, order_id, reason, "cancelled", BUSINESS_CANCEL, expected_version)

