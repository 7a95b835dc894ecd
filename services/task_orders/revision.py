"""【修改】 on tab 审批退回及撤销任务单信息 (BJ-21): a returned or cancelled order reopens as a new draft.

The draft takes the old order's form, community and saved houses and links back to it (replaces_id);
it then goes through the normal steps and gets its own application number on submission. The old
order stays exactly as the authority left it.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlmodel import Session

from models import TaskOrder, TaskOrderHouse
from services.core.actor import Actor
from services.core.business_log import audit
from services.core.errors import ValidationError
from services.core.session_check import checked_read, checked_write
from services.estate.scope import load_order, require_community

REVISABLE = ("returned", "cancelled")
# Everything the clerk filled in; the rest (status, numbers, decision, draft position) starts afresh.
FORM_COLUMNS = ("project_name", "repair_category", "repair_part", "repair_content", "emergency", "contractor",
                "budget_fen", "amount_fen", "method", "plan_start", "plan_end", "contact_name", "contact_phone",
                "total_households", "total_area", "rate_text", "remark")


def _existing_revision(session: Session, order: TaskOrder) -> TaskOrder | None:
    """A later order already made from this one that still counts (not dropped, withdrawn or refused)."""
    return session.execute(
        select(TaskOrder).where(TaskOrder.replaces_id == order.id,
                                TaskOrder.status.in_(("draft", "submitted", "approved")))
        .order_by(TaskOrder.id.desc()).limit(1)
    ).scalar()


def start_revision(db, actor: Actor, returned_order_id: int) -> int:
    """The id of the new draft. Pressing 【修改】 again while that draft is open reopens it instead of
    making a second one; once it is submitted, the old order cannot be modified again."""
    with checked_write(db, actor) as session:
        old = load_order(session, actor, returned_order_id, for_change=True)
        if old.status not in REVISABLE:
            raise ValidationError("只有审批退回或撤销的任务单可以修改")
        require_community(session, actor, old.community_id)
        existing = _existing_revision(session, old)
        if existing is not None and existing.status == "draft":
            return existing.id
        if existing is not None:
            raise ValidationError(f"该任务单已修改为新任务单{existing.application_no}，不能重复修改")
        draft = TaskOrder(organisation_id=actor.organisation_id, community_id=old.community_id,
                          created_by=actor.user_id, replaces_id=old.id, draft_step="buildings",
                          **{column: getattr(old, column) for column in FORM_COLUMNS})
        session.add(draft)
        session.flush()
        houses = session.execute(
            select(TaskOrderHouse.house_id).where(TaskOrderHouse.task_order_id == old.id)).scalars()
        rows = [{"task_order_id": draft.id, "house_id": h} for h in houses]
        if rows:
            session.execute(insert(TaskOrderHouse), rows)
        audit(session, "修改任务单", user_id=actor.user_id, organisation_id=actor.organisation_id,
              target=old.application_no, detail={"order_id": draft.id, "replaces_id": old.id, "houses": len(rows)})
        return draft.id
