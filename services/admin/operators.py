"""操作员管理 changes (SH-08 to SH-10): add an operator with the two-factor check and an initial password by
SMS, change the mobile and status, disable ("删除"). Each is one transaction with its business-log row."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlmodel import Session

from models import Identity, Organisation, User
from services.admin import verification
from services.admin.labels import CATEGORY_LABELS, OPERATOR_ID_BASE, ROLE_LABELS, ROLES_FOR_KIND, STATUS_LABELS, mask_mobile
from services.admin.operators_query import load_operator
from services.admin.scope import ENTERPRISE_ROLES, AdminScope, admin_scope
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.errors import NotFound, ServiceError, StaleRecord, ValidationError
from services.core.profiles import get_profile
from services.core.session_check import checked_read, checked_write
from services.identity import validators
from services.identity.passwords import hash_password
from services.notify import outbox

SH09_CONFLICT = "该手机号已绑定维修资金系统物业企业（含小区管理处）角色，请重新输入正确的手机号。"
MOBILE_TAKEN = "该手机号已被其他账户使用，请重新输入正确的手机号。"
STALE = "该记录已被他人修改，请刷新后重试"
NAME_MAX, REMARK_MAX = 40, 200


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    kind: str
    kind_label: str
    roles: tuple[tuple[str, str], ...]  # (role, label) the department may hold


@dataclass(frozen=True)
class NewOperator:
    name: str
    department_id: int | None
    mobile: str
    role: str = ""
    remark: str = ""


@dataclass(frozen=True)
class Added:
    identity_id: int
    operator_id: str
    name: str
    mobile_masked: str


def _departments(session: Session, scope: AdminScope, profile: str) -> list[Department]:
    offices_allowed = get_profile(profile).community_offices  # BJ-26: Beijing has no 小区管理处 role
    orgs = session.execute(
        select(Organisation).where(Organisation.id.in_(scope.department_ids), Organisation.status == "active")
        .order_by(Organisation.id)
    ).scalars().all()
    return [
        Department(org.id, org.name, org.kind, CATEGORY_LABELS[org.kind],
                   tuple((role, ROLE_LABELS[role]) for role in ROLES_FOR_KIND[org.kind]))
        for org in orgs
        if org.kind == "enterprise" or offices_allowed
    ]


def departments(db, actor: Actor, profile: str) -> list[Department]:
    """What 【选择】 offers for 部门名称: the enterprise, then its community offices (Shanghai only)."""
    with checked_read(db, actor) as session:
        return _departments(session, admin_scope(session, actor), profile)


def _text(value: str, label: str, field: str, limit: int, *, required: bool) -> str:
    text = "".join(c for c in (value or "") if c.isprintable()).strip()
    if required and not text:
        raise ValidationError(f"请输入{label}", field=field)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字符", field=field)
    return text


def _mobile_conflict(session: Session, mobile: str, *, except_user: int | None = None) -> str | None:
    """SH-09: a mobile bound to any enterprise or community-office identity can take no other; and one
    mobile logs in to one account, so another user's number is refused too."""
    bound = select(func.count()).select_from(Identity).where(
        Identity.mobile == mobile, Identity.role.in_(ENTERPRISE_ROLES))
    users = select(func.count()).select_from(User).where(User.mobile == mobile)
    if except_user is not None:
        bound = bound.where(Identity.user_id != except_user)
        users = users.where(User.id != except_user)
    if session.execute(bound).scalar_one():
        return SH09_CONFLICT
    if session.execute(users).scalar_one():
        return MOBILE_TAKEN
    return None


def _initial_password() -> str:
    """12 characters of four classes, so it passes every password rule; sent once by SMS."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = [secrets.choice(alphabet) for _ in range(10)]
        password = "".join(body) + secrets.choice("@#%&*") + secrets.choice(string.digits)
        if any(c.islower() for c in password) and any(c.isupper() for c in password):
            return password


def _check_new(session: Session, scope: AdminScope, form: NewOperator, profile: str) -> Department:
    department = next((d for d in _departments(session, scope, profile) if d.id == form.department_id), None)
    if department is None:
        raise ValidationError("请选择部门名称", field="department")
    if form.role not in dict(department.roles):
        raise ValidationError(f"{department.kind_label}不能担任该角色，请重新选择角色", field="role")
    conflict = _mobile_conflict(session, form.mobile)
    if conflict:
        raise ServiceError(conflict, field="mobile")
    return department


def _operator_id(session: Session, user_id: int) -> str:
    """A number like the manual's 操作员ID; user names chosen at registration start with a letter."""
    candidate = OPERATOR_ID_BASE + user_id
    while session.execute(select(User.id).where(User.username == str(candidate))).scalar() is not None:
        candidate += 1_000_000
    return str(candidate)


def add_operator(db, actor: Actor, form: NewOperator, profile: str) -> Added:
    name = _text(form.name, "操作员姓名", "name", NAME_MAX, required=True)
    if form.department_id is None:
        raise ValidationError("请选择部门名称", field="department")
    mobile = validators.mobile(form.mobile, field="mobile")
    remark = _text(form.remark, "备注", "remark", REMARK_MAX, required=False)
    form = NewOperator(name=name, department_id=form.department_id, mobile=mobile, role=form.role, remark=remark)
    with checked_read(db, actor) as session:  # the check may call out to a provider: never under the write lock
        _check_new(session, admin_scope(session, actor), form, profile)
        verification.check_name_and_mobile(session, name, mobile)
    password = _initial_password()
    password_hash = hash_password(password)  # slow on purpose: outside the write transaction too
    with checked_write(db, actor) as session:
        department = _check_new(session, admin_scope(session, actor), form, profile)  # nobody took it meanwhile
        user = User(username=None, mobile=mobile, real_name=name, password_hash=password_hash,
                    must_change_password=True)
        session.add(user)
        session.flush()
        user.username = _operator_id(session, user.id)
        identity = Identity(user_id=user.id, organisation_id=department.id, role=form.role, mobile=mobile,
                            department=department.name, remark=remark or None)
        session.add(identity)
        session.flush()
        outbox.queue(session, "sms", mobile, "initial_password", secret=password, user_id=user.id, name=name,
                     login=user.username, password=password)
        record_action(
            session, actor, "新增操作员", application_no=None,
            summary=f"新增操作员 {user.username} {name}（{department.name}，{ROLE_LABELS[form.role]}）",
            detail={"operator_id": user.username, "old": None,
                    "new": {"name": name, "mobile": mobile, "department": department.name, "role": form.role,
                            "status": "active", "remark": remark}},
        )
        return Added(identity.id, user.username, name, mask_mobile(mobile))


def _sync_user_status(session: Session, user_id: int) -> None:
    """The login follows the identities: disabled when none is left active, active again with one."""
    active = session.execute(
        select(func.count()).select_from(Identity).where(Identity.user_id == user_id, Identity.status == "active")
    ).scalar_one()
    if active:
        session.execute(update(User).where(User.id == user_id, User.status == "disabled").values(status="active"))
    else:
        session.execute(update(User).where(User.id == user_id, User.status == "active").values(status="disabled"))


def _check_disable(session: Session, actor: Actor, scope: AdminScope, identity: Identity) -> None:
    if identity.id == actor.identity_id:
        raise ServiceError("不能停用自己的账户", field="status")
    if identity.role == "enterprise_admin" and identity.status == "active":
        others = session.execute(
            select(func.count()).select_from(Identity).where(
                Identity.organisation_id == scope.enterprise_id, Identity.role == "enterprise_admin",
                Identity.status == "active", Identity.id != identity.id)
        ).scalar_one()
        if not others:
            raise ServiceError("不能停用本单位最后一个正常使用的管理员", field="status")


def modify_operator(db, actor: Actor, identity_id: int, expected_version: int, *, mobile: str,
                    status: str) -> int:
    """修改: only the mobile (verified again) and the status. Returns the new version."""
    if status not in STATUS_LABELS:
        raise ValidationError("请选择操作员状态", field="status")
    mobile = validators.mobile(mobile, field="mobile")
    with checked_read(db, actor) as session:
        scope = admin_scope(session, actor)
        identity, user, _org = load_operator(session, scope, identity_id)
        if identity.version != expected_version:
            raise StaleRecord(STALE)
        old_mobile = identity.mobile or user.mobile or ""
        if mobile == old_mobile and status == identity.status:
            raise ValidationError("没有修改任何内容", field="mobile")
        if mobile != old_mobile:
            conflict = _mobile_conflict(session, mobile, except_user=user.id)
            if conflict:
                raise ServiceError(conflict, field="mobile")
            verification.check_name_and_mobile(session, user.real_name, mobile)
    with checked_write(db, actor) as session:
        scope = admin_scope(session, actor)
        identity, user, _org = load_operator(session, scope, identity_id)
        old = {"mobile": identity.mobile or user.mobile or "", "status": identity.status}
        if status == "disabled" and old["status"] != "disabled":
            _check_disable(session, actor, scope, identity)
        if mobile != old["mobile"]:
            conflict = _mobile_conflict(session, mobile, except_user=user.id)
            if conflict:
                raise ServiceError(conflict, field="mobile")
        changed = session.execute(
            update(Identity).where(Identity.id == identity_id, Identity.version == expected_version)
            .values(mobile=mobile, status=status, version=Identity.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            raise StaleRecord(STALE)
        if mobile != old["mobile"]:
            session.execute(update(User).where(User.id == user.id)
                            .values(mobile=mobile, version=User.version + 1))
        _sync_user_status(session, user.id)
        parts = []
        if mobile != old["mobile"]:
            parts.append(f"手机号 {mask_mobile(old['mobile'])} → {mask_mobile(mobile)}")
        if status != old["status"]:
            parts.append(f"状态 {STATUS_LABELS[old['status']]} → {STATUS_LABELS[status]}")
        business = "删除操作员" if status == "disabled" and mobile == old["mobile"] else "修改操作员"
        record_action(session, actor, business, summary=f"{business} {user.username} {user.real_name}：" + "；".join(parts),
                      detail={"operator_id": user.username, "old": old, "new": {"mobile": mobile, "status": status}})
        return expected_version + 1


def disable_operator(db, actor: Actor, identity_id: int, expected_version: int) -> int:
    """删除 (SH-10): the account is set to 停用; the row stays, so past business keeps its operator."""
    with checked_read(db, actor) as session:
        identity, user, _org = load_operator(session, admin_scope(session, actor), identity_id)
        if identity.status == "disabled":
            raise ServiceError("该操作员已停用")
        current = identity.mobile or user.mobile or ""
    return modify_operator(db, actor, identity_id, expected_version, mobile=current, status="disabled")


__all__ = ["Added", "Department", "NewOperator", "NotFound", "add_operator", "departments", "disable_operator",
           "modify_operator"]
