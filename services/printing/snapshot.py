"""The plain data a task-order document is printed from: the order, its community, enterprise and
department, and the lines frozen at submission, read once and handed to reports/ as finished
values, so the stored snapshot never needs the database again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from models import Community, District, Organisation, TaskOrder
from reports import ARREARS, SIGN_SHEET
from reports.data import OrderData, Payment
from services.core.clock import local, local_text
from services.task_orders import lines as order_lines
from services.task_orders.form import METHOD_LABELS

PAY_WITHIN_DAYS = 15  # 欠款催缴通知单: the owner pays within this many days of the first print


def _department(session: Session, district_id: int, district: str) -> str:
    name = session.execute(
        select(Organisation.name).where(Organisation.kind == "authority", Organisation.district_id == district_id)
        .order_by(Organisation.id).limit(1)
    ).scalar()
    return name or f"{district}住房城乡建设主管部门"


def _credit_code(session: Session, organisation: Organisation) -> str:
    """A community office has no code of its own: its enterprise's stands for it."""
    if organisation.credit_code or organisation.parent_id is None:
        return organisation.credit_code or ""
    return session.get(Organisation, organisation.parent_id).credit_code or ""


def order_data(session: Session, order: TaskOrder, doc_type: str, now: datetime) -> OrderData:
    """Everything the document of `doc_type` shows; `now` fixes the payment deadline of notices."""
    community = session.get(Community, order.community_id)
    district = session.get(District, community.district_id)
    organisation = session.get(Organisation, order.organisation_id)
    replaced = session.get(TaskOrder, order.replaces_id) if order.replaces_id else None
    lines = tuple(order_lines.read(session, order.id))
    short = tuple(x for x in lines if x.arrears)
    shown = {SIGN_SHEET: lines, ARREARS: short}.get(doc_type, ())
    payment = None
    if doc_type == ARREARS:
        payment = Payment(
            deadline=(local(now) + timedelta(days=PAY_WITHIN_DAYS)).date().isoformat(),
            payee=organisation.name,
            address=organisation.office_address or organisation.address or community.address,
            contact=" ".join(x for x in (order.contact_name, order.contact_phone) if x),
        )
    return OrderData(
        city=district.city,
        application_no=order.application_no,
        submitted_on=local_text(order.submitted_at, "%Y-%m-%d"),
        district=district.name,
        community=community.name,
        community_address=community.address,
        enterprise=organisation.name,
        enterprise_code=_credit_code(session, organisation),
        department=_department(session, district.id, district.name),
        project_name=order.project_name or "",
        repair_category=order.repair_category or "",
        repair_part=order.repair_part or "",
        repair_content=order.repair_content or "",
        emergency="是" if order.emergency else "否",
        contractor=order.contractor or "",
        budget=order.budget_fen or 0,
        amount=order.amount_fen or 0,
        method=METHOD_LABELS[order.method],
        plan_start=order.plan_start.isoformat() if order.plan_start else "",
        plan_end=order.plan_end.isoformat() if order.plan_end else "",
        contact_name=order.contact_name or "",
        contact_phone=order.contact_phone or "",
        households=len(lines),
        area=sum(x.area for x in lines),
        rate=order.rate_text or "",
        remark=order.remark or "",
        replaces=replaced.application_no if replaced and replaced.application_no else "",
        total_deducted=sum(x.deducted for x in lines),
        total_arrears=sum(x.arrears for x in short),
        arrears_count=len(short),
        lines=shown,
        payment=payment,
    )
