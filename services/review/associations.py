"""物业区域关联审核: the district department's queue of association applications, one application with its
communities and attachments, and the decisions. Approve turns every association of the application to
approved (the communities then appear in the enterprise's 新建任务单); return (审批退回) stores the reason,
which the enterprise sees in its list of applications. Only a reviewer of the application's district acts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlmodel import Session

from models import Association, AssociationApplication, Attachment, Community, Organisation, User
from services.core.actor import Actor
from services.core.attachments import AttachmentStore, size_text
from services.core.business_log import record_action
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound, PermissionDenied, StaleRecord, ValidationError
from services.core.session_check import checked_read, checked_write
from services.estate.association import APPLICATION_LABELS, REVIEW_DAYS
from services.review.authority import require_reviewer
from services.review.task_orders import clean_reason
from services.review.workdays import deadline

QUEUE_LIMIT = 500
BUSINESS_APPROVE = "物业区域关联审核通过"
BUSINESS_RETURN = "物业区域关联审批退回"
STALE = "该记录已被他人修改，请刷新后重试"


@dataclass(frozen=True)
class QueueRow:
    application_id: int
    application_no: str
    enterprise: str
    communities: str
    files: int
    paper: bool
    submitted_at: str
    deadline: str
    days_left: int


@dataclass(frozen=True)
class AttachmentRow:
    attachment_id: int
    kind: str
    filename: str
    size: str
    content_type: str


@dataclass(frozen=True)
class ApplicationDetail:
    application_id: int
    application_no: str
    status: str
    status_label: str
    enterprise: str
    credit_code: str
    applicant: str
    submitted_at: str
    deadline: str
    reason: str
    paper: bool
    version: int
    communities: tuple[tuple[str, str], ...]  # (name, address)
    attachments: tuple[AttachmentRow, ...]


@dataclass(frozen=True)
class AttachmentFile:
    filename: str  # a name of our own making, safe to save under
    content_type: str
    data: bytes
    label: str


def _names(session: Session, application_id: int) -> list[str]:
    return list(session.execute(
        select(Community.name).join(Association, Association.community_id == Community.id)
        .where(Association.application_id == application_id).order_by(Community.name)).scalars())


def queue(db, actor: Actor) -> tuple[list[QueueRow], int]:
    """Pending applications of the reviewer's district, oldest first: (first QUEUE_LIMIT, how many in all)."""
    district_id = require_reviewer(actor)
    waiting = (AssociationApplication.district_id == district_id, AssociationApplication.status == "pending")
    with checked_read(db, actor) as session:
        total = session.execute(select(func.count()).select_from(AssociationApplication)
                                .where(*waiting)).scalar_one()
        rows = session.execute(
            select(AssociationApplication, Organisation.name)
            .join(Organisation, AssociationApplication.enterprise_id == Organisation.id).where(*waiting)
            .order_by(AssociationApplication.submitted_at, AssociationApplication.id).limit(QUEUE_LIMIT)).all()
        result = []
        for application, enterprise in rows:
            files = session.execute(select(func.count()).select_from(Attachment).where(
                Attachment.application_no == application.application_no)).scalar_one()
            due = deadline(application.submitted_at, REVIEW_DAYS)
            result.append(QueueRow(application.id, application.application_no, enterprise,
                                   "、".join(_names(session, application.id)), files, application.paper_materials,
                                   local_text(application.submitted_at), due.label, due.days_left))
    return result, total


def _in_district(session: Session, actor: Actor, application_id: int) -> AssociationApplication:
    district_id = require_reviewer(actor)
    application = session.get(AssociationApplication, application_id)
    if application is None or application.district_id != district_id:
        raise NotFound("申请不存在或不属于本管理部辖区")
    return application


def detail(db, actor: Actor, application_id: int) -> ApplicationDetail:
    with checked_read(db, actor) as session:
        a = _in_district(session, actor, application_id)
        enterprise = session.get(Organisation, a.enterprise_id)
        applicant = session.get(User, a.submitted_by)
        communities = tuple((name, address) for name, address in session.execute(
            select(Community.name, Community.address).join(Association, Association.community_id == Community.id)
            .where(Association.application_id == a.id).order_by(Community.name)))
        files = tuple(AttachmentRow(x.id, x.kind, x.filename, size_text(x.size), x.content_type)
                      for x in session.execute(select(Attachment).where(
                          Attachment.application_no == a.application_no).order_by(Attachment.id)).scalars())
        due = deadline(a.submitted_at, REVIEW_DAYS).label if a.status == "pending" else ""
        return ApplicationDetail(a.id, a.application_no, a.status, APPLICATION_LABELS[a.status], enterprise.name,
                                 enterprise.credit_code or "", applicant.real_name if applicant else "",
                                 local_text(a.submitted_at), due, a.reason or "", a.paper_materials, a.version,
                                 communities, files)


def _decide(session: Session, actor: Actor, application_id: int, version: int, status: str,
            reason: str | None) -> AssociationApplication:
    """Move a pending application on, only if nobody decided or changed it since it was read."""
    application = _in_district(session, actor, application_id)
    if application.status != "pending":
        raise ValidationError(f"申请 {application.application_no} 当前为“{APPLICATION_LABELS[application.status]}”，"
                              "不能再审核")
    now = utcnow()
    moved = session.execute(
        update(AssociationApplication)
        .where(AssociationApplication.id == application_id, AssociationApplication.version == version,
               AssociationApplication.status == "pending")
        .values(status=status, reviewed_by=actor.user_id, reviewed_at=now, reason=reason,
                version=AssociationApplication.version + 1)).rowcount
    if moved != 1:
        raise StaleRecord(STALE)
    session.execute(
        update(Association).where(Association.application_id == application_id, Association.status == "pending")
        .values(status="approved" if status == "approved" else "rejected", reviewed_by=actor.user_id,
                reviewed_at=now, reason=reason))
    session.refresh(application)
    return application


def approve(db, actor: Actor, application_id: int, version: int) -> str:
    with checked_write(db, actor) as session:
        a = _decide(session, actor, application_id, version, "approved", None)
        names = _names(session, a.id)
        record_action(session, actor, BUSINESS_APPROVE, application_no=a.application_no,
                      summary=f"关联小区：{'、'.join(names)}",
                      detail={"application_id": a.id, "enterprise_id": a.enterprise_id})
        return a.application_no


def return_application(db, actor: Actor, application_id: int, version: int, reason: str) -> str:
    reason = clean_reason(reason)
    with checked_write(db, actor) as session:
        a = _decide(session, actor, application_id, version, "returned", reason)
        record_action(session, actor, BUSINESS_RETURN, application_no=a.application_no, summary=f"原因：{reason}",
                      detail={"application_id": a.id, "enterprise_id": a.enterprise_id})
        return a.application_no


_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def open_attachment(db, actor: Actor, attachment_id: int, *, store: AttachmentStore) -> AttachmentFile:
    """The bytes of one attachment, for the reviewer of its district or the enterprise that handed it in."""
    with checked_read(db, actor) as session:
        attachment = session.get(Attachment, attachment_id)
        application = None if attachment is None else session.execute(
            select(AssociationApplication).where(
                AssociationApplication.application_no == attachment.application_no)).scalar_one_or_none()
        if application is None:
            raise NotFound("附件不存在")
        if actor.role == "reviewer":
            _in_district(session, actor, application.id)
        elif actor.organisation_id != application.enterprise_id:
            raise PermissionDenied("只能查看本单位或本辖区的附件")
    data = store.get(attachment.sha256)
    name = f"{application.application_no}-{attachment.id}{_EXTENSIONS.get(attachment.content_type, '')}"
    return AttachmentFile(name, attachment.content_type, data, f"附件 {attachment.kind}")
