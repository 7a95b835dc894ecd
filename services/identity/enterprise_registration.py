"""物业企业注册 and 维修资金企业绑定 (SH-01..04), from the Shanghai login screen.

The question 您所在企业是否在维修资金系统已有物业企业身份账号（OTP或密钥）？ decides: 是 → binding, where the
existing account's credentials and the credit code tie the account's enterprise to the unified platform;
否 → the registration form, with the platforms to register on and, for the supervision platform, its block.

A registered enterprise is active at once (the manual has no review step) with an administrator account for the
enterprise contact: user name = the credit code, an initial password sent to the contact's mobile through the
outbox and changed at first login (SH-11's rule). Both are recorded as a UnitApplication of kind
shanghai_enterprise holding the form, so the platforms chosen are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from models import Identity, Organisation, UnitApplication, User
from services.core.business_log import record_action
from services.core.clock import utcnow
from services.core.errors import ServiceError, ValidationError
from services.core.numbers import next_number
from services.identity import auth, otp, ratelimit
from services.identity import validators as v
from services.identity.passwords import hash_password
from services.notify import outbox

QUESTION = "您所在企业是否在维修资金系统已有物业企业身份账号（OTP或密钥）？"
DUPLICATE = "维修资金系统已经存在统一社会信用代码（含组织机构代码）相同的物业管理企业，申请失败！"
BIND_MISMATCH = "该账号不是此统一社会信用代码企业的物业企业身份账号，绑定失败"
FUND, SUPERVISION = "上海市商品住房维修资金管理系统", "上海市物业监管平台及招投标系统"
PLATFORMS = (FUND, SUPERVISION)
REGISTERED_PLACES = ("上海市", "外省市")
QUALIFICATION = ("是", "否")
GRADES = ("一级资质", "二级资质", "三级资质", "暂定资质")
SUCCESS_PLATFORM_NAMES = {FUND: "上海市商品住房维修资金管理系统", SUPERVISION: "上海市物业管理平台及招投标系统"}
BUSINESS_REGISTER, BUSINESS_BIND = "物业企业注册", "维修资金企业绑定"
SUPERVISION_FIELDS = ("reg_place", "reg_district", "had_certificate", "grade", "gm_name", "gm_mobile",
                      "gm_id_type", "gm_id_no")


@dataclass(frozen=True)
class Registered:
    name: str
    platforms: tuple[str, ...]
    username: str
    message: str


def success_message(name: str, platforms: tuple[str, ...]) -> str:
    """As the manual's prompt words it, naming the platforms chosen."""
    names = "和".join(SUCCESS_PLATFORM_NAMES[p] for p in PLATFORMS if p in platforms)
    return f"{name}企业，您已注册成功,可使用Ukey通过上海市物业管理监督与服务统一认证登录平台进入{names}。"


def _optional(values, key, check) -> str:
    text = (values.get(key) or "").strip()
    return check(text, field=key) if text else ""


def _person(values, prefix: str, label: str) -> dict[str, str]:
    name = v.required(values.get(f"{prefix}_name"), f"{label}姓名", f"{prefix}_name")[:40]
    v.required(values.get(f"{prefix}_mobile"), f"{label}手机号", f"{prefix}_mobile")
    mobile = v.mobile(values.get(f"{prefix}_mobile"), field=f"{prefix}_mobile")
    out = {f"{prefix}_name": name, f"{prefix}_mobile": mobile}
    if f"{prefix}_id_type" in values:
        id_type = (values.get(f"{prefix}_id_type") or "").strip()
        if id_type not in v.ID_TYPES:
            raise ValidationError("请选择证件类型", field=f"{prefix}_id_type")
        v.required(values.get(f"{prefix}_id_no"), f"{label}证件号", f"{prefix}_id_no")
        out[f"{prefix}_id_type"] = id_type
        out[f"{prefix}_id_no"] = v.id_number(id_type, values.get(f"{prefix}_id_no"), field=f"{prefix}_id_no")
    return out


def validate(values: dict[str, str], districts: tuple[str, ...]) -> dict[str, object]:
    v.required(values.get("credit_code"), "统一社会信用代码", "credit_code")
    form: dict[str, object] = {"credit_code": v.credit_code(values.get("credit_code"))}
    form["name"] = v.required(values.get("name"), "企业名称", "name")[:100]
    form["postcode"] = _optional(values, "postcode", v.postcode)
    form["phone"] = _optional(values, "phone", v.landline)
    form["email"] = _optional(values, "email", v.email)
    form["fax"] = _optional(values, "fax", v.landline)
    form.update(_person(values, "legal", "法定代表人"))
    form.update(_person({k: values.get(k, "") for k in ("contact_name", "contact_mobile")}, "contact", "企业联系人"))
    platforms = tuple(p for p, key in ((FUND, "platform_fund"), (SUPERVISION, "platform_supervision"))
                      if values.get(key) == "注册")
    if not platforms:
        raise ValidationError("请选择注册平台", field="platform_fund")
    form["platforms"] = list(platforms)
    if SUPERVISION in platforms:
        place = values.get("reg_place") or ""
        if place not in REGISTERED_PLACES:
            raise ValidationError("请选择注册地", field="reg_place")
        district = values.get("reg_district") or ""
        if district not in districts:
            raise ValidationError("请选择注册所在区", field="reg_district")
        form.update(reg_place=place, reg_district=district,
                    had_certificate=values.get("had_certificate") or "否",
                    grade=values.get("grade") if values.get("had_certificate") == "是" else "")
        form.update(_person(values, "gm", "总经理"))
    return form


def register(db, actor, values: dict[str, str], districts: tuple[str, ...], *, source: str | None = None,
             password: str | None = None) -> Registered:
    """【注册】: the enterprise, its administrator and the SMS with the initial password — one transaction."""
    ratelimit.hit(db, "register.source", source or ratelimit.LOCAL_SOURCE)
    form = validate(values, districts)
    from services.review.unit_applications import initial_password

    password = password or initial_password()
    password_hash = hash_password(password)
    now = utcnow()
    credit = str(form["credit_code"])
    with db.write() as session:  # no session check: before login
        org_code = credit[8:17]
        clash = session.execute(select(Organisation.id).where(
            (Organisation.credit_code == credit)
            | (Organisation.org_code.in_((org_code, f"{org_code[:8]}-{org_code[8]}"))))).first()
        if clash is not None:
            raise ValidationError(DUPLICATE, field="credit_code")
        org = Organisation(kind="enterprise", status="active", name=str(form["name"]), credit_code=credit,
                           org_code=f"{org_code[:8]}-{org_code[8]}", postcode=form["postcode"] or None,
                           phone=form["phone"] or None, email=form["email"] or None, fax=form["fax"] or None,
                           legal_rep_name=str(form["legal_name"]), legal_rep_mobile=str(form["legal_mobile"]),
                           legal_rep_id_type=str(form["legal_id_type"]), legal_rep_id_no=str(form["legal_id_no"]),
                           contact_name=str(form["contact_name"]), contact_mobile=str(form["contact_mobile"]),
                           created_at=now)
        session.add(org)
        session.flush()
        admin = User(username=credit, mobile=str(form["contact_mobile"]), real_name=str(form["contact_name"]),
                     password_hash=password_hash, must_change_password=True, created_at=now)
        session.add(admin)
        session.flush()
        session.add(Identity(user_id=admin.id, organisation_id=org.id, role="enterprise_admin",
                             mobile=admin.mobile, created_at=now))
        number = next_number(session, "unit_application", now)
        session.add(UnitApplication(application_no=number, kind="shanghai_enterprise", status="approved",
                                    applicant_id=admin.id, organisation_id=org.id, name=org.name, credit_code=credit,
                                    data=json.dumps(form, ensure_ascii=False), submitted_at=now, decided_at=now))
        outbox.queue(session, "sms", admin.mobile, "initial_password", secret=password, user_id=admin.id, now=now,
                     name=admin.real_name, login=credit, password=password)
        platforms = tuple(form["platforms"])
        record_action(session, None, BUSINESS_REGISTER, application_no=number, user_id=admin.id,
                      organisation_id=org.id, summary=f"{org.name}注册：{'、'.join(platforms)}")
    return Registered(org.name, platforms, credit, success_message(org.name, platforms))


def bind(db, actor, login: str, password: str, credit_code: str, *, code: str = "",
         source: str | None = None) -> str:
    """维修资金企业绑定: the existing account (user name or certificate number) must administer the enterprise
    with this credit code; an account with an authenticator (BY-08) also gives its code, as its login does.
    Returns the enterprise's name."""
    ratelimit.check_login(db, login, source)
    v.required(credit_code, "统一社会信用代码", "credit_code")
    credit = v.credit_code(credit_code)
    method = "key" if login.strip().upper().startswith("BJ") or login.strip().startswith("SH") else "password"
    try:
        result = auth.authenticate(db, login, password, method=method)
    except ServiceError as error:
        if method == "key" or error.field != "password":
            raise
        result = auth.authenticate(db, login, password, method="key")
    if result.otp_pending:
        if not code.strip():
            raise ValidationError("该账号已启用动态口令，请输入动态口令", field="code")
        result = otp.verify_login_code(db, result, code)
    with db.write() as session:  # no session check: before login
        org = session.execute(select(Organisation).where(Organisation.credit_code == credit)).scalar()
        ids = {i.organisation_id for i in result.identities if i.role == "enterprise_admin"}
        if org is None or org.id not in ids:
            raise ValidationError(BIND_MISMATCH, field="credit_code")
        now = utcnow()
        number = next_number(session, "unit_application", now)
        session.add(UnitApplication(application_no=number, kind="shanghai_enterprise", status="approved",
                                    applicant_id=result.user_id, organisation_id=org.id, name=org.name,
                                    credit_code=credit, data=json.dumps({"bound": True}), submitted_at=now,
                                    decided_at=now))
        record_action(session, None, BUSINESS_BIND, application_no=number, user_id=result.user_id,
                      organisation_id=org.id, summary=f"{org.name}与维修资金系统账号绑定")
        return org.name
