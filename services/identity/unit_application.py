"""物业单位注册申请 (BJ-05), the registered but unauthenticated user's only business: the unit's details and the
district management department that will check the paper materials; 【提交】 gives an application number.

The unit is recorded at once as a pending enterprise (so its credit code is taken and the printed application
belongs to it) and the applicant's 未认证用户 identity points at it; the department's review (services.review.
unit_applications) makes it active. A returned application is corrected and submitted again under its number.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from models import Identity, Organisation, UnitApplication, User
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.clock import local_text, utcnow
from services.core.errors import PermissionDenied, ValidationError
from services.core.functions import require
from services.core.numbers import next_number
from services.identity import ratelimit
from services.identity import validators as v
from services.identity.registration import declared_unit
from services.review.workdays import add_working_days
from services.core.clock import local
from services.core.session_check import checked_read, checked_write

BUSINESS = "物业单位注册申请"
REVIEW_DAYS = 3  # working days, as the manuals give for the other paper-checking review (area associations)
STATUS_LABELS = {"submitted": "待审核", "approved": "审核通过", "returned": "审批退回"}
FIELDS = ("name", "org_code", "credit_code", "address", "legal_rep_name", "legal_rep_id_type", "legal_rep_id_no",
          "contact_name", "contact_mobile", "authority")
DUPLICATE_CODE = "该社会诚信代码的单位已注册或已提交注册申请"


@dataclass(frozen=True)
class UnitForm:
    name: str = ""
    org_code: str = ""
    credit_code: str = ""
    address: str = ""
    legal_rep_name: str = ""
    legal_rep_id_type: str = v.RESIDENT_ID
    legal_rep_id_no: str = ""
    contact_name: str = ""
    contact_mobile: str = ""
    authority: str = ""  # the department's name, as chosen


@dataclass(frozen=True)
class UnitApplicationView:
    """What the applicant's screen opens with: the form to fill (prefilled), and the application if any."""

    form: UnitForm
    authorities: tuple[str, ...]
    application_no: str | None = None
    status: str | None = None
    status_label: str = ""
    return_reason: str | None = None
    submitted_at: str = ""


def _require_registrant(actor: Actor) -> None:
    require(actor, "unit_application")
    if actor.role != "registrant":
        raise PermissionDenied()


def _authorities(session) -> dict[str, int]:
    rows = session.execute(select(Organisation.name, Organisation.id).where(
        Organisation.kind == "authority", Organisation.status == "active").order_by(Organisation.id)).all()
    return {name: org_id for name, org_id in rows}


def _latest(session, user_id: int) -> UnitApplication | None:
    return session.execute(select(UnitApplication).where(UnitApplication.applicant_id == user_id)
                           .order_by(UnitApplication.id.desc()).limit(1)).scalar_one_or_none()


def open_application(db, actor: Actor) -> UnitApplicationView:
    _require_registrant(actor)
    with checked_read(db, actor) as session:
        authorities = _authorities(session)
        app = _latest(session, actor.user_id)
        if app is not None:
            form = UnitForm(**json.loads(app.data))
            return UnitApplicationView(form, tuple(authorities), app.application_no, app.status,
                                       STATUS_LABELS[app.status], app.return_reason, local_text(app.submitted_at))
        identity = session.get(Identity, actor.identity_id)
        user = session.get(User, actor.user_id)
        unit = declared_unit(identity.remark if identity else None)
        form = UnitForm(name=unit.get("unit_name", ""), credit_code=unit.get("credit_code", ""),
                        contact_name=user.real_name, contact_mobile=user.mobile or "")
    return UnitApplicationView(form, tuple(authorities))


def _validate(values: dict[str, str], authorities: dict[str, int]) -> tuple[UnitForm, int]:
    name = v.required(values.get("name"), "单位名称", "name")
    if len(name) > 100:
        raise ValidationError("单位名称不能超过100个字符", field="name")
    v.required(values.get("org_code"), "组织机构代码", "org_code")
    org_code = v.org_code(values.get("org_code"))
    v.required(values.get("credit_code"), "社会诚信代码", "credit_code")
    credit_code = v.credit_code(values.get("credit_code"))
    if credit_code[8:17] != org_code.replace("-", ""):
        raise ValidationError("组织机构代码应与社会诚信代码第9至17位一致", field="org_code")
    address = v.required(values.get("address"), "单位地址", "address")[:200]
    legal = v.required(values.get("legal_rep_name"), "法定代表人", "legal_rep_name")[:40]
    id_type = (values.get("legal_rep_id_type") or "").strip()
    if id_type not in v.ID_TYPES:
        raise ValidationError("请选择证件类型", field="legal_rep_id_type")
    v.required(values.get("legal_rep_id_no"), "法定代表人证件号码", "legal_rep_id_no")
    legal_id = v.id_number(id_type, values.get("legal_rep_id_no"), field="legal_rep_id_no")
    contact = v.required(values.get("contact_name"), "联系人", "contact_name")[:40]
    v.required(values.get("contact_mobile"), "联系人手机号码", "contact_mobile")
    contact_mobile = v.mobile(values.get("contact_mobile"), field="contact_mobile")
    authority = (values.get("authority") or "").strip()
    if authority not in authorities:
        raise ValidationError("请选择审核材料的区县管理部", field="authority")
    form = UnitForm(name, org_code, credit_code, address, legal, id_type, legal_id, contact, contact_mobile,
                    authority)
    return form, authorities[authority]


@dataclass(frozen=True)
class Submitted:
    application_no: str
    authority: str
    due_on: str
    resubmitted: bool


def submit(db, actor: Actor, values: dict[str, str]) -> Submitted:
    """【提交】: a new application, or the returned one corrected (same number, back in the queue)."""
    _require_registrant(actor)
    ratelimit.hit(db, "application.account", str(actor.user_id))
    now = utcnow()
    with checked_write(db, actor) as session:
        form, authority_id = _validate(values, _authorities(session))
        app = _latest(session, actor.user_id)
        if app is not None and app.status != "returned":
            raise ValidationError(f"已提交物业单位注册申请（{app.application_no}，{STATUS_LABELS[app.status]}），"
                                  "不能重复提交")
        holder = session.execute(select(Organisation).where(Organisation.credit_code == form.credit_code)).scalar()
        if holder is not None and (app is None or holder.id != app.organisation_id):
            raise ValidationError(DUPLICATE_CODE, field="credit_code")
        due = add_working_days(local(now).date(), REVIEW_DAYS)
        core = dict(name=form.name, credit_code=form.credit_code, org_code=form.org_code, address=form.address,
                    legal_rep_name=form.legal_rep_name, legal_rep_id_type=form.legal_rep_id_type,
                    legal_rep_id_no=form.legal_rep_id_no, contact_name=form.contact_name,
                    contact_mobile=form.contact_mobile, district_id=session.get(Organisation, authority_id).district_id)
        if app is None:
            org = Organisation(kind="enterprise", status="pending", **core)
            session.add(org)
            session.flush()
            number = next_number(session, "unit_application", now)
            app = UnitApplication(application_no=number, kind="beijing_unit", applicant_id=actor.user_id,
                                  organisation_id=org.id, authority_id=authority_id, name=form.name,
                                  credit_code=form.credit_code, data=json.dumps(asdict(form), ensure_ascii=False),
                                  submitted_at=now, due_on=due)
            session.add(app)
            session.execute(update(Identity).where(Identity.id == actor.identity_id)
                            .values(organisation_id=org.id))
            resubmitted = False
        else:
            session.execute(update(Organisation).where(Organisation.id == app.organisation_id)
                            .values(version=Organisation.version + 1, **core))
            changed = session.execute(
                update(UnitApplication)
                .where(UnitApplication.id == app.id, UnitApplication.version == app.version,
                       UnitApplication.status == "returned")
                .values(status="submitted", authority_id=authority_id, name=form.name, credit_code=form.credit_code,
                        data=json.dumps(asdict(form), ensure_ascii=False), submitted_at=now, due_on=due,
                        decided_at=None, decided_by=None, version=UnitApplication.version + 1))
            if changed.rowcount != 1:
                raise ValidationError("该申请已被他人处理，请重新打开后再试")
            resubmitted = True
        record_action(session, actor, BUSINESS, application_no=app.application_no, organisation_id=app.organisation_id,
                      summary=f"{'重新提交' if resubmitted else '提交'}物业单位注册申请：{form.name}，由{form.authority}审核材料")
    return Submitted(app.application_no, form.authority, f"{due:%Y-%m-%d}", resubmitted)


def login_notices(db, actor: Actor) -> list[str]:
    """Shown once after login: the reason a department returned the applicant's registration."""
    if actor.role != "registrant":
        return []
    with checked_write(db, actor) as session:
        app = _latest(session, actor.user_id)
        if app is None or app.status != "returned" or app.reason_seen_at is not None:
            return []
        app.reason_seen_at = utcnow()
        return [f"您的物业单位注册申请（{app.application_no}）已被退回，原因：{app.return_reason}。"
                "请进入“物业单位注册申请”修改后重新提交。"]


def refreshed_actor(db, actor: Actor) -> Actor:
    """The same identity read again (after submitting it works for the pending unit)."""
    from services.identity.auth import actor_for_identity

    return actor_for_identity(db, actor.identity_id)
