"""物业区域关联 (BJ-24), the enterprise's side: find a developer's communities, tick them, hand in the
materials (or bring them on paper) and submit one application to the district's department.

The department's side (queue, attachments, approve / return) is services.review.associations. Approval
turns the application's associations to approved, and services.estate.scope then lets the enterprise work
on those communities (新建任务单).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from models import Association, AssociationApplication, Attachment, Community, District, Organisation
from services.core.actor import Actor
from services.core.attachments import AttachmentStore, StagedFile
from services.core.business_log import record_action
from services.core.clock import local, local_text, utcnow
from services.core.errors import PermissionDenied, ValidationError
from services.core.functions import require
from services.core.numbers import next_number
from services.core.session_check import checked_read, checked_write
from services.review.workdays import add_working_days, deadline

REVIEW_DAYS = 3  # the manual: 管理部会在三个工作日内审核完毕
MATERIALS = ("物业服务合同", "营业执照副本", "授权委托书")
SEARCH_LIMIT = 200
MAX_COMMUNITIES = 100
MAX_FILES = 30
BUSINESS_SUBMIT = "物业区域关联申请"
STATE_LABELS = {"approved": "已关联", "pending": "审核中"}
APPLICATION_LABELS = {"pending": "待审核", "approved": "审核通过", "returned": "审批退回"}


@dataclass(frozen=True)
class CommunityChoice:
    community_id: int
    name: str
    district: str
    developer: str
    address: str
    state: str  # "" (may be ticked), 已关联, 审核中


@dataclass(frozen=True)
class Submitted:
    application_no: str
    due: date
    communities: int
    files: int
    paper: bool

    @property
    def message(self) -> str:
        lines = [f"申请编号：{self.application_no}",
                 f"请记录此编号。管理部会在三个工作日内（{self.due:%Y-%m-%d} 前）审核完毕，"
                 "如有未审核的请联系管理部并提供此申请编号。"]
        if self.paper:
            lines.append("您选择了跳过上传附件，请持实体材料至所在区的管理部办理。")
        return "\n".join(lines)


@dataclass(frozen=True)
class ApplicationRow:
    application_id: int
    application_no: str
    status: str
    status_label: str
    district: str
    communities: str
    submitted_at: str
    deadline: str
    reviewed_at: str
    reason: str
    files: int
    paper: bool


def require_enterprise(actor: Actor) -> int:
    """Only the property enterprise itself applies (not its community offices, not the authority)."""
    require(actor, "association")
    if actor.organisation_kind != "enterprise" or actor.organisation_id is None:
        raise PermissionDenied("只有物业服务企业可以申请物业区域关联")
    return actor.organisation_id


def districts(db, actor: Actor) -> list[tuple[int, str]]:
    """The districts of the enterprise's city, for the 所属区县 choice."""
    require_enterprise(actor)
    with checked_read(db, actor) as session:
        own = session.get(Organisation, actor.organisation_id)
        stmt = select(District.id, District.name).order_by(District.code)
        if own is not None and own.district_id is not None:
            city = session.get(District, own.district_id).city
            stmt = stmt.where(District.city == city)
        return [(i, n) for i, n in session.execute(stmt)]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(db, actor: Actor, developer_name: str, district_id: int | None) -> list[CommunityChoice]:
    """The communities of developers whose name contains `developer_name`, in the district if given,
    each marked when this enterprise already has it or has applied for it."""
    enterprise_id = require_enterprise(actor)
    name = developer_name.strip()
    if not name:
        raise ValidationError("请输入开发企业名称", field="developer")
    if len(name) > 100:
        raise ValidationError("开发企业名称不能超过100个字", field="developer")
    with checked_read(db, actor) as session:
        stmt = (select(Community, District.name, Organisation.name)
                .join(District, Community.district_id == District.id)
                .join(Organisation, Community.developer_id == Organisation.id)
                .where(Organisation.kind == "developer", Organisation.name.like(_like(name), escape="\\"))
                .order_by(District.code, Organisation.name, Community.name).limit(SEARCH_LIMIT))
        if district_id is not None:
            stmt = stmt.where(Community.district_id == district_id)
        found = session.execute(stmt).all()
        states = _states(session, enterprise_id, [c.id for c, _, _ in found])
    return [CommunityChoice(c.id, c.name, d, dev, c.address, STATE_LABELS.get(states.get(c.id, ""), ""))
            for c, d, dev in found]


def _states(session: Session, enterprise_id: int, community_ids: list[int]) -> dict[int, str]:
    if not community_ids:
        return {}
    rows = session.execute(select(Association.community_id, Association.status).where(
        Association.enterprise_id == enterprise_id, Association.community_id.in_(community_ids),
        Association.status.in_(("approved", "pending"))))
    states: dict[int, str] = {}
    for community_id, status in rows:
        if states.get(community_id) != "approved":
            states[community_id] = status
    return states


def submit(db, actor: Actor, community_ids: list[int], files: list[tuple[str, StagedFile]], *,
           store: AttachmentStore, paper: bool = False) -> Submitted:
    """【提交物业区域关联】: one application for the ticked communities of one district, with the staged
    files (material, file) or, with `paper`, none (跳过: the paper goes to the department)."""
    enterprise_id = require_enterprise(actor)
    ids = sorted(set(community_ids))
    if not ids:
        raise ValidationError("请先勾选需要关联的小区")
    if len(ids) > MAX_COMMUNITIES:
        raise ValidationError(f"一次最多关联 {MAX_COMMUNITIES} 个小区")
    if paper and files:
        raise ValidationError("已添加附件，不能再选择跳过；如需跳过请先删除附件")
    if not paper:
        missing = [m for m in MATERIALS if not any(kind == m for kind, _ in files)]
        if missing:
            raise ValidationError(f"请添加附件：{'、'.join(missing)}；或选择跳过，持实体材料至管理部办理")
    if len(files) > MAX_FILES:
        raise ValidationError(f"附件最多 {MAX_FILES} 个")
    for kind, staged in files:
        if kind not in MATERIALS or not store.has(staged.sha256):
            raise ValidationError(f"附件 {staged.filename} 已不在附件库中，请重新添加")
    with checked_write(db, actor) as session:
        communities = session.execute(select(Community).where(Community.id.in_(ids))).scalars().all()
        if len(communities) != len(ids):
            raise ValidationError("所选小区不存在，请重新查询")
        district_ids = {c.district_id for c in communities}
        if len(district_ids) != 1:
            raise ValidationError("所选小区须属于同一区县（由该区管理部审核），请按区县分别提交")
        states = _states(session, enterprise_id, ids)
        taken = [c.name for c in communities if c.id in states]
        if taken:
            raise ValidationError(f"小区 {'、'.join(taken)} 已关联或正在审核中，请取消勾选")
        now = utcnow()
        application = AssociationApplication(
            application_no=next_number(session, "association"), enterprise_id=enterprise_id,
            district_id=district_ids.pop(), paper_materials=paper, submitted_by=actor.user_id, submitted_at=now)
        session.add(application)
        session.flush()
        for community in communities:
            session.add(Association(enterprise_id=enterprise_id, community_id=community.id, status="pending",
                                    submitted_by=actor.user_id, submitted_at=now, application_id=application.id))
        for kind, staged in files:
            session.add(Attachment(organisation_id=enterprise_id, application_no=application.application_no,
                                   kind=kind, filename=staged.filename, content_type=staged.content_type,
                                   size=staged.size, sha256=staged.sha256, content=None,
                                   uploaded_by=actor.user_id, uploaded_at=now))
        names = "、".join(c.name for c in communities)
        record_action(session, actor, BUSINESS_SUBMIT, application_no=application.application_no,
                      summary=f"小区：{names}；" + ("跳过上传，持实体材料办理" if paper else f"附件{len(files)}个"),
                      detail={"application_id": application.id, "communities": ids, "paper": paper,
                              "files": [f.sha256 for _, f in files]})
        due = add_working_days(local(now).date(), REVIEW_DAYS)
        return Submitted(application.application_no, due, len(communities), len(files), paper)


def my_applications(db, actor: Actor, limit: int = 200) -> list[ApplicationRow]:
    """The enterprise's applications, newest first, with the department's decision and reason."""
    enterprise_id = require_enterprise(actor)
    with checked_read(db, actor) as session:
        apps = session.execute(
            select(AssociationApplication, District.name)
            .join(District, AssociationApplication.district_id == District.id)
            .where(AssociationApplication.enterprise_id == enterprise_id)
            .order_by(AssociationApplication.submitted_at.desc(), AssociationApplication.id.desc()).limit(limit)
        ).all()
        return [_row(session, a, d) for a, d in apps]


def _row(session: Session, application: AssociationApplication, district: str) -> ApplicationRow:
    names = session.execute(
        select(Community.name).join(Association, Association.community_id == Community.id)
        .where(Association.application_id == application.id).order_by(Community.name)).scalars().all()
    files = len(session.execute(select(Attachment.id).where(
        Attachment.application_no == application.application_no)).all())
    due = (deadline(application.submitted_at, REVIEW_DAYS).label if application.status == "pending" else "")
    return ApplicationRow(application.id, application.application_no, application.status,
                          APPLICATION_LABELS[application.status], district, "、".join(names),
                          local_text(application.submitted_at), due, local_text(application.reviewed_at),
                          application.reason or "", files, application.paper_materials)
