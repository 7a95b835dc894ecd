"""Who an enterprise administrator administers: their enterprise and its community offices.

Every admin service call starts here, inside its own transaction: the acting identity is read again,
so an administrator who was disabled (or lost the role) is stopped at the next action, not the next
login, and the scope always comes from the database rather than from the session's memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from models import Identity, Organisation, User
from services.core.actor import Actor
from services.core.errors import PermissionDenied, SessionEnded
from services.core.functions import require

ENTERPRISE_ROLES = ("enterprise_admin", "enterprise_operator", "office_operator")


@dataclass(frozen=True)
class AdminScope:
    enterprise_id: int
    enterprise_name: str
    department_ids: tuple[int, ...]  # the enterprise first, then its offices


def check_active(session: Session, actor: Actor) -> Identity:
    """The actor's identity as it stands now; SessionEnded when it, its user or its organisation is off."""
    identity = session.get(Identity, actor.identity_id) if actor.identity_id else None
    user = session.get(User, actor.user_id)
    if identity is None or identity.status != "active" or user is None or user.status != "active":
        raise SessionEnded()
    if identity.role != actor.role or identity.user_id != actor.user_id:
        raise SessionEnded()
    if identity.organisation_id is not None:
        org = session.get(Organisation, identity.organisation_id)
        if org is None or org.status != "active":
            raise SessionEnded("您所在的单位已停用，请重新登录")
    return identity


def admin_scope(session: Session, actor: Actor, function: str = "operators") -> AdminScope:
    require(actor, function)
    identity = check_active(session, actor)
    enterprise = session.get(Organisation, identity.organisation_id) if identity.organisation_id else None
    if enterprise is None or enterprise.kind != "enterprise":
        raise PermissionDenied("只有物业服务企业的管理员可以管理操作员")
    offices = session.execute(
        select(Organisation.id).where(Organisation.parent_id == enterprise.id, Organisation.kind == "office")
        .order_by(Organisation.id)
    ).scalars().all()
    return AdminScope(enterprise.id, enterprise.name, (enterprise.id, *offices))
