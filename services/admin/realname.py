"""用户审核 (SH-06): a subordinate's real-name authentication request, decided by their enterprise's
administrator. The result reaches the requester by SMS and is shown at their next login; approved
identity data is locked against further requests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import Session

from models import Organisation, RealNameRequest, User
from services.admin.labels import mask_id_no, mask_mobile
from services.admin.scope import admin_scope, check_active
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound, ServiceError, StaleRecord, ValidationError
from services.core.functions import require
from services.core.session_check import checked_read, checked_write
from services.identity import validators
from services.notify import outbox

STATUS_LABELS = {"pending": "待审核", "approved": "审核通过", "rejected": "已驳回"}
STALE = "该记录已被他人修改，请刷新后重试"
REASON_MAX = 200
LIST_LIMIT = 500


@dataclass(frozen=True)
class RequestForm:
    real_name: str
    id_type: str
    id_no: str
    mobile: str


@dataclass(frozen=True)
class MyRequest:
    status: str
    status_label: str
    real_name: str
    id_type: str
    id_no_masked: str
    mobile: str
    department: str
    reason: str
    submitted_at: str
    decided_at: str

    @property
    def locked(self) -> bool:
        return self.status in ("pending", "approved")


@dataclass(frozen=True)
class PendingRow:
    request_id: int
    version: int
    operator_id: str
    real_name: str
    id_type: str
    id_no_masked: str
    mobile_masked: str
    department: str
    submitted_at: str


def _enterprise_of(session: Session, organisation_id: int | None) -> tuple[int, int]:
    org = session.get(Organisation, organisation_id) if organisation_id else None
    if org is None or org.kind not in ("enterprise", "office"):
        raise ServiceError("只有物业服务企业及其小区管理处的用户可以提交实名认证申请")
    return (org.parent_id if org.kind == "office" else org.id), org.id


def _latest(session: Session, user_id: int) -> RealNameRequest | None:
    return session.execute(
        select(RealNameRequest).where(RealNameRequest.user_id == user_id).order_by(RealNameRequest.id.desc()).limit(1)
    ).scalar()


def my_request(db, actor: Actor) -> MyRequest | None:
    require(actor, "real_name")
    with checked_read(db, actor) as session:
        check_active(session, actor)
        request = _latest(session, actor.user_id)
        if request is None:
            return None
        department = session.get(Organisation, request.department_id).name
        return MyRequest(request.status, STATUS_LABELS[request.status], request.real_name, request.id_type,
                         mask_id_no(request.id_no), request.mobile, department, request.reason or "",
                         local_text(request.submitted_at), local_text(request.decided_at))


def submit_request(db, actor: Actor, form: RequestForm) -> None:
    require(actor, "real_name")
    name = validators.required(form.real_name, "姓名", "real_name")
    if len(name) > 40:
        raise ValidationError("姓名不能超过40个字符", field="real_name")
    if form.id_type not in validators.ID_TYPES:
        raise ValidationError("请选择证件类型", field="id_type")
    id_no = validators.id_number(form.id_type, form.id_no, field="id_no")
    mobile = validators.mobile(form.mobile, field="mobile")
    with checked_write(db, actor) as session:
        check_active(session, actor)
        enterprise_id, department_id = _enterprise_of(session, actor.organisation_id)
        latest = _latest(session, actor.user_id)
        if latest is not None and latest.status == "pending":
            raise ServiceError("您的实名认证申请正在审核中，请等待管理员审核")
        if latest is not None and latest.status == "approved":
            raise ServiceError("您的实名信息已审核通过，不能再修改")
        session.add(RealNameRequest(user_id=actor.user_id, identity_id=actor.identity_id, enterprise_id=enterprise_id,
                                    department_id=department_id, real_name=name, id_type=form.id_type, id_no=id_no,
                                    mobile=mobile))
        record_action(session, actor, "提交实名认证申请", summary=f"{name}（{form.id_type} {mask_id_no(id_no)}）",
                      detail={"new": {"real_name": name, "id_type": form.id_type, "id_no": mask_id_no(id_no),
                                      "mobile": mobile}})


def pending_requests(db, actor: Actor) -> list[PendingRow]:
    with checked_read(db, actor) as session:
        scope = admin_scope(session, actor, "user_review")
        rows = session.execute(
            select(RealNameRequest, User.username, Organisation.name)
            .join(User, User.id == RealNameRequest.user_id)
            .join(Organisation, Organisation.id == RealNameRequest.department_id)
            .where(RealNameRequest.enterprise_id == scope.enterprise_id, RealNameRequest.status == "pending")
            .order_by(RealNameRequest.id).limit(LIST_LIMIT)
        ).all()
    return [PendingRow(r.id, r.version, username or "", r.real_name, r.id_type, mask_id_no(r.id_no),
                       mask_mobile(r.mobile), department, local_text(r.submitted_at))
            for r, username, department in rows]


def clean_reason(reason: str) -> str:
    text = "".join(c for c in (reason or "") if c.isprintable()).strip()
    if not text:
        raise ValidationError("请填写驳回原因", field="reason")
    if len(text) > REASON_MAX:
        raise ValidationError(f"驳回原因不能超过{REASON_MAX}个字符", field="reason")
    return text


def decide(db, actor: Actor, request_id: int, expected_version: int, approve: bool, reason: str = "") -> None:
    """通过 or 驳回 (a reason required); the requester hears of it by SMS and at the next login."""
    reason = "" if approve else clean_reason(reason)
    status = "approved" if approve else "rejected"
    with checked_write(db, actor) as session:
        scope = admin_scope(session, actor, "user_review")
        request = session.get(RealNameRequest, request_id)
        if request is None or request.enterprise_id != scope.enterprise_id:
            raise NotFound("该申请不存在或不属于本单位")
        if request.status != "pending" or request.version != expected_version:
            raise StaleRecord(STALE)
        changed = session.execute(
            update(RealNameRequest)
            .where(RealNameRequest.id == request_id, RealNameRequest.version == expected_version,
                   RealNameRequest.status == "pending")
            .values(status=status, reason=reason or None, decided_by=actor.user_id, decided_at=utcnow(),
                    version=RealNameRequest.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            raise StaleRecord(STALE)
        user = session.get(User, request.user_id)
        old = {"real_name": user.real_name, "id_type": user.id_type, "id_no": mask_id_no(user.id_no),
               "status": "pending"}
        if approve:  # the approved identity becomes the account's, and is locked from now on
            session.execute(update(User).where(User.id == user.id).values(
                real_name=request.real_name, id_type=request.id_type, id_no=request.id_no, version=User.version + 1))
            outbox.queue(session, "sms", request.mobile, "realname_approved", user_id=user.id, name=request.real_name)
        else:
            outbox.queue(session, "sms", request.mobile, "realname_rejected", user_id=user.id, name=request.real_name,
                         reason=reason)
        business = "用户审核通过" if approve else "用户审核驳回"
        record_action(session, actor, business,
                      summary=f"{business} {user.username} {request.real_name}" + (f"：{reason}" if reason else ""),
                      detail={"request_id": request_id, "old": old,
                              "new": {"real_name": request.real_name, "id_type": request.id_type,
                                      "id_no": mask_id_no(request.id_no), "status": status, "reason": reason}})


def unseen_results(db, actor: Actor) -> list[str]:
    """Decisions the requester has not been shown yet, as messages; shown once, at login."""
    if actor.role not in ("enterprise_operator", "office_operator"):
        return []
    with checked_write(db, actor) as session:
        decided = session.execute(
            select(RealNameRequest).where(RealNameRequest.user_id == actor.user_id,
                                          RealNameRequest.status != "pending",
                                          RealNameRequest.result_seen.is_(False))
            .order_by(RealNameRequest.id)
        ).scalars().all()
        if not decided:
            return []
        session.execute(update(RealNameRequest).where(RealNameRequest.id.in_([r.id for r in decided]))
                        .values(result_seen=True).execution_options(synchronize_session=False))
    return [("您的实名认证申请已审核通过。" if r.status == "approved" else f"您的实名认证申请已被驳回，原因：{r.reason}")
            for r in decided]
