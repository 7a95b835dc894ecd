"""Which communities and orders an organisation may work on.

An enterprise works on the communities whose association (物业区域关联) the authority approved; a
community office only on its own community; an enterprise sees its offices' orders as well.
Every task-order service goes through these checks: menus hiding things is never the protection.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from models import Association, Community, OfficeCommunity, Organisation, TaskOrder
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied
from services.core.functions import ORDER_ROLES


def require_order_role(actor: Actor) -> None:
    if actor.role not in ORDER_ROLES or not actor.is_enterprise_side:
        raise PermissionDenied("只有物业服务企业及其小区管理处的经办人可以办理维修支取申请")


def community_ids(session: Session, actor: Actor) -> list[int]:
    require_order_role(actor)
    if actor.organisation_kind == "office":
        stmt = select(OfficeCommunity.community_id).where(OfficeCommunity.office_id == actor.organisation_id)
    else:
        stmt = select(Association.community_id).where(
            Association.enterprise_id == actor.organisation_id, Association.status == "approved"
        )
    return sorted(set(session.execute(stmt).scalars()))


def require_community(session: Session, actor: Actor, community_id: int) -> Community:
    if community_id not in community_ids(session, actor):
        raise PermissionDenied("本单位未关联该小区，不能办理该小区的业务")
    community = session.get(Community, community_id)
    if community is None:
        raise NotFound("小区不存在")
    return community


def visible_organisation_ids(session: Session, actor: Actor) -> list[int]:
    """The organisations whose orders the actor may see: its own, and an enterprise's offices."""
    require_order_role(actor)
    ids = [actor.organisation_id]
    if actor.organisation_kind == "enterprise":
        ids += session.execute(
            select(Organisation.id).where(Organisation.parent_id == actor.organisation_id)
        ).scalars().all()
    return ids


def load_order(session: Session, actor: Actor, order_id: int, *, for_change: bool = False) -> TaskOrder:
    """The order if the actor may see it (or, with for_change, act on it); the same message
    whether it belongs to another organisation or does not exist, so ids reveal nothing.

    An order loaded for change is row-locked (PostgreSQL; SQLite admits one writer anyway), so a
    withdrawal and the authority's decision cannot both act on what they read.
    """
    order = session.get(TaskOrder, order_id, with_for_update=for_change)
    visible = visible_organisation_ids(session, actor)
    if order is None or order.organisation_id not in visible:
        raise NotFound("任务单不存在或不属于本单位")
    if for_change and order.organisation_id != actor.organisation_id:
        # an enterprise sees its offices' orders, but acting on one is the office's business: say whose
        office = session.get(Organisation, order.organisation_id)
        raise PermissionDenied(f"该任务单由“{office.name}”申请，只能由该单位的经办人办理")
    if for_change:  # an association withdrawn since the order was begun ends the right to act on it
        require_community(session, actor, order.community_id)
    return order
