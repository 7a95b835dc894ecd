"""Who may review: a reviewer of a district management department, and only within its district.

The district of a task order is the district of its community. Every review and ledger service goes
through these checks; the reviewer's menu not showing something is never the protection.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from models import Community, TaskOrder
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied
from services.core.functions import require


def require_reviewer(actor: Actor) -> int:
    """The reviewer's district id, or PermissionDenied for anybody else."""
    require(actor, "review")
    if actor.organisation_kind != "authority" or actor.district_id is None:
        raise PermissionDenied("只有区县管理部的审核员可以办理审核业务")
    return actor.district_id


def order_in_district(session: Session, actor: Actor, order_id: int, *,
                      lock: bool = False) -> tuple[TaskOrder, Community]:
    """A submitted or decided order of the reviewer's district; drafts are the enterprise's own business.
    The same message whether the order is elsewhere or missing, so ids reveal nothing. With `lock`, the
    order row is locked until the transaction ends (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds
    the whole database), so two decisions on one order cannot both see it awaiting review."""
    district_id = require_reviewer(actor)
    stmt = (select(TaskOrder, Community).join(Community, TaskOrder.community_id == Community.id)
            .where(TaskOrder.id == order_id))
    found = session.execute(stmt.with_for_update(of=TaskOrder) if lock else stmt).first()
    if found is None or found[1].district_id != district_id or found[0].application_no is None:
        raise NotFound("任务单不存在或不属于本管理部辖区")
    return found[0], found[1]
