"""单位注册审核: the department's queue of unit registrations (BJ-05) and its decisions.

Approve: the pending unit becomes an authenticated property enterprise, the applicant its administrator
through a key issued now (certificate number and an initial password, shown to the reviewer once and changed
at first login), the applicant told by SMS — one transaction. Return: the reason is stored, sent to the
applicant and shown at their next login; they correct and resubmit under the same number.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass

from sqlalchemy import select, update

from models import Identity, Organisation, UnitApplication, User
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.functions import require
from services.core.numbers import next_number
from services.identity.passwords import hash_password
from services.identity.unit_application import REVIEW_DAYS, STATUS_LABELS
from services.notify import outbox
from services.review.workdays import deadline
from services.core.session_check import checked_read, checked_write

BUSINESS_APPROVE = "物业单位注册审核通过"
BUSINESS_RETURN = "物业单位注册审批退回"
REASON_MAX = 500
FORM_LABELS = (
    ("name", "单位名称"), ("org_code", "组织机构代码"), ("credit_code", "社会诚信代码"), ("address", "单位地址"),
    ("legal_rep_name", "法定代表人"), ("legal_rep_id_type", "证件类型"), ("legal_rep_id_no", "证件号码"),
    ("contact_name", "联系人"), ("contact_mobile", "联系人手机号码"), ("authority", "审核材料的管理部"),
)


@dataclass(frozen=True)
class QueueRow:
    application_id: int
    application_no: str
    name: str
    credit_code: str
    applicant: str
    submitted_at: str
    deadline: str
    days_left: int


@dataclass(frozen=True)
class Detail:
    application_id: int
    application_no: str
    status_label: str
    applicant: str
    applicant_mobile: str
    fields: tuple[tuple[str, str], ...]
    deadline: str


@dataclass(frozen=True)
class IssuedKey:
    application_no: str
    organisation_name: str
    cert_no: str
    initial_password: str  # shown once, never stored in clear


def _department(actor: Actor) -> int:
    require(actor, "unit_review")
    if actor.organisation_kind != "authority" or actor.organisation_id is None:
        raise PermissionDenied("只有区县管理部的审核员可以办理审核业务")
    return actor.organisation_id


def queue(db, actor: Actor) -> list[QueueRow]:
    department = _department(actor)
    with checked_read(db, actor) as session:
        rows = session.execute(
            select(UnitApplication, User.real_name).join(User, UnitApplication.applicant_id == User.id)
            .where(UnitApplication.authority_id == department, UnitApplication.status == "submitted")
            .order_by(UnitApplication.submitted_at).limit(500)).all()
    out = []
    for app, applicant in rows:
        due = deadline(app.submitted_at, REVIEW_DAYS)
        out.append(QueueRow(app.id, app.application_no, app.name, app.credit_code, applicant,
                            local_text(app.submitted_at, "%Y-%m-%d %H:%M"), due.label, due.days_left))
    return out


def _load(session, actor: Actor, application_id: int, *, lock: bool = False) -> UnitApplication:
    department = _department(actor)
    stmt = select(UnitApplication).where(UnitApplication.id == application_id)
    app = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    if app is None or app.authority_id != department:
        raise NotFound("申请不存在或不由本管理部审核")
    return app


def detail(db, actor: Actor, application_id: int) -> Detail:
    with checked_read(db, actor) as session:
        app = _load(session, actor, application_id)
        user = session.get(User, app.applicant_id)
    form = json.loads(app.data)
    return Detail(app.id, app.application_no, STATUS_LABELS[app.status], user.real_name, user.mobile or "",
                  tuple((label, str(form.get(key, ""))) for key, label in FORM_LABELS),
                  deadline(app.submitted_at, REVIEW_DAYS).label)


def initial_password() -> str:
    """Ten characters of all four classes, without look-alikes, for reading off the screen."""
    letters = "ABCDEFGHJKMNPQRSTUVWXYZ"
    lower = letters.lower()
    digits = "23456789"
    chars = [secrets.choice(letters), secrets.choice(lower), secrets.choice(digits), secrets.choice("@#%+")]
    chars += [secrets.choice(letters + lower + digits) for _ in range(6)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _awaiting(app: UnitApplication) -> None:
    if app.status != "submitted":
        raise ValidationError(f"该申请{STATUS_LABELS[app.status]}，不能再审核")


def approve(db, actor: Actor, application_id: int) -> IssuedKey:
    password = initial_password()
    password_hash = hash_password(password)
    now = utcnow()
    with checked_write(db, actor) as session:
        app = _load(session, actor, application_id, lock=True)
        _awaiting(app)
        applicant = session.get(User, app.applicant_id)
        org = session.get(Organisation, app.organisation_id)
        org.status = "active"
        org.version += 1
        cert_no = next_number(session, "certificate", now)
        key_user = User(cert_no=cert_no, real_name=applicant.real_name, mobile=applicant.mobile,
                        email=applicant.email, id_type=applicant.id_type, id_no=applicant.id_no,
                        password_hash=password_hash, must_change_password=True, created_at=now)
        session.add(key_user)
        session.flush()
        session.add(Identity(user_id=key_user.id, organisation_id=org.id, role="enterprise_admin",
                             mobile=applicant.mobile, created_at=now))
        changed = session.execute(
            update(UnitApplication).where(UnitApplication.id == app.id, UnitApplication.status == "submitted")
            .values(status="approved", decided_at=now, decided_by=actor.user_id, version=UnitApplication.version + 1))
        if changed.rowcount != 1:
            raise ValidationError("该申请已被他人处理")
        if applicant.mobile:
            outbox.queue(session, "sms", applicant.mobile, "application_approved", user_id=applicant.id, now=now,
                         business="物业单位注册申请", application_no=app.application_no)
        record_action(session, actor, BUSINESS_APPROVE, application_no=app.application_no,
                      summary=f"{org.name}注册为认证物业服务企业，发放密钥{cert_no}，管理员{applicant.real_name}")
    return IssuedKey(app.application_no, org.name, cert_no, password)


def return_application(db, actor: Actor, application_id: int, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请输入退回原因", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"退回原因不能超过{REASON_MAX}个字符", field="reason")
    now = utcnow()
    with checked_write(db, actor) as session:
        app = _load(session, actor, application_id, lock=True)
        _awaiting(app)
        applicant = session.get(User, app.applicant_id)
        session.execute(update(UnitApplication).where(UnitApplication.id == app.id).values(
            status="returned", return_reason=reason, reason_seen_at=None, decided_at=now, decided_by=actor.user_id,
            version=UnitApplication.version + 1))
        if applicant.mobile:
            outbox.queue(session, "sms", applicant.mobile, "application_returned", user_id=applicant.id, now=now,
                         business="物业单位注册申请", application_no=app.application_no, reason=reason)
        record_action(session, actor, BUSINESS_RETURN, application_no=app.application_no,
                      summary=f"退回{app.name}的物业单位注册申请：{reason}")
    return app.application_no
