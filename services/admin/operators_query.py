"""操作员管理 list and detail (SH-07, SH-10 查询): the operators of the administrator's enterprise and its
community offices, filtered, keyset-paged by identity id, with the total."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlmodel import Session

from models import Identity, Organisation, RealNameRequest, SshKey, User
from services.admin.labels import CATEGORY_LABELS, ROLE_LABELS, STATUS_LABELS, mask_id_no, mask_mobile
from services.admin.scope import ENTERPRISE_ROLES, AdminScope, admin_scope
from services.core.actor import Actor
from services.core.clock import local_text
from services.core.errors import NotFound, ValidationError
from services.core.session_check import checked_read, checked_write

PAGE_SIZE = 50
FILTER_LIMITS = {"operator_id": 40, "name": 40, "unit_code": 18, "unit_name": 100}


@dataclass(frozen=True)
class OperatorFilter:
    operator_id: str = ""
    name: str = ""  # contains
    status: str = ""  # "" | active | disabled
    category: str = ""  # "" | enterprise | office
    unit_code: str = ""  # the department's credit code or organisation code
    unit_name: str = ""  # contains


@dataclass(frozen=True)
class OperatorRow:
    identity_id: int
    operator_id: str
    name: str
    mobile_masked: str
    department: str
    role: str
    role_label: str
    status: str
    status_label: str
    version: int


@dataclass(frozen=True)
class OperatorPage:
    rows: tuple[OperatorRow, ...]
    total: int
    has_next: bool
    has_previous: bool


@dataclass(frozen=True)
class OperatorDetail:
    identity_id: int
    user_id: int
    operator_id: str
    name: str
    mobile: str
    department_id: int
    department: str
    category: str
    category_label: str
    unit_code: str
    role: str
    role_label: str
    status: str
    status_label: str
    remark: str
    id_type: str
    id_no_masked: str
    real_name_status: str
    created_at: str
    last_login_at: str
    must_change_password: bool
    version: int
    ssh_key: str = ""  # the bound key's SHA256 fingerprint

    def lines(self) -> list[tuple[str, str]]:
        return [
            ("操作员ID", self.operator_id), ("操作员姓名", self.name), ("手机号码", self.mobile),
            ("部门名称", self.department), ("部门类别", self.category_label), ("所属单位编码", self.unit_code),
            ("角色", self.role_label), ("操作员状态", self.status_label), ("证件类型", self.id_type),
            ("证件号码", self.id_no_masked), ("实名认证", self.real_name_status), ("备注", self.remark),
            ("创建时间", self.created_at), ("最后登录", self.last_login_at),
            ("SSH密钥", self.ssh_key or "未绑定"),
            ("初始密码", "尚未修改" if self.must_change_password else "已修改"),
        ]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _clean(flt: OperatorFilter) -> OperatorFilter:
    values = {}
    for field, limit in FILTER_LIMITS.items():
        value = getattr(flt, field).strip()
        if len(value) > limit:
            raise ValidationError(f"查询条件不能超过{limit}个字符", field=field)
        values[field] = value
    if flt.status not in ("", "active", "disabled"):
        raise ValidationError("请选择操作员状态", field="status")
    if flt.category not in ("", "enterprise", "office"):
        raise ValidationError("请选择操作员类别", field="category")
    return OperatorFilter(status=flt.status, category=flt.category, **values)


def _conditions(scope: AdminScope, flt: OperatorFilter) -> list:
    conditions = [Identity.organisation_id.in_(scope.department_ids), Identity.role.in_(ENTERPRISE_ROLES)]
    if flt.operator_id:
        conditions.append(User.username == flt.operator_id)
    if flt.name:
        conditions.append(User.real_name.like(_like(flt.name), escape="\\"))
    if flt.status:
        conditions.append(Identity.status == flt.status)
    if flt.category:
        conditions.append(Organisation.kind == flt.category)
    if flt.unit_code:
        code = flt.unit_code.upper()
        conditions.append(or_(Organisation.credit_code == code, Organisation.org_code == code))
    if flt.unit_name:
        conditions.append(Organisation.name.like(_like(flt.unit_name), escape="\\"))
    return conditions


def _joined(stmt):
    return stmt.join(User, User.id == Identity.user_id).join(Organisation, Organisation.id == Identity.organisation_id)


def list_operators(db, actor: Actor, flt: OperatorFilter, *, after: int | None = None,
                   before: int | None = None, page_size: int = PAGE_SIZE) -> OperatorPage:
    """One page in identity order: the first, the one after id `after`, or the one before id `before`."""
    flt = _clean(flt)
    with checked_read(db, actor) as session:
        scope = admin_scope(session, actor)
        conditions = _conditions(scope, flt)
        total = session.execute(
            _joined(select(func.count()).select_from(Identity)).where(*conditions)
        ).scalar_one()
        stmt = _joined(select(Identity, User.username, User.real_name, Organisation.name)).where(*conditions)
        if before is not None:
            stmt = stmt.where(Identity.id < before).order_by(Identity.id.desc())
        else:
            if after is not None:
                stmt = stmt.where(Identity.id > after)
            stmt = stmt.order_by(Identity.id)
        found = session.execute(stmt.limit(page_size + 1)).all()
    more = len(found) > page_size
    found = found[:page_size]
    if before is not None:
        found.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, after is not None
    rows = tuple(
        OperatorRow(
            identity_id=identity.id, operator_id=username or "", name=real_name,
            mobile_masked=mask_mobile(identity.mobile), department=_short(org_name, scope.enterprise_name),
            role=identity.role,
            role_label=ROLE_LABELS.get(identity.role, identity.role), status=identity.status,
            status_label=STATUS_LABELS.get(identity.status, identity.status), version=identity.version,
        )
        for identity, username, real_name, org_name in found
    )
    return OperatorPage(rows=rows, total=total, has_next=has_next and bool(rows), has_previous=has_previous)


def _short(department: str, enterprise: str) -> str:
    """An office named after its enterprise shows without that prefix, so the narrow column tells the
    offices apart (the detail shows the full name)."""
    if department != enterprise and department.startswith(enterprise):
        return department[len(enterprise):]
    return department


def load_operator(session: Session, scope: AdminScope, identity_id: int) -> tuple[Identity, User, Organisation]:
    """The operator's identity, user and department, if it is one this administrator administers.

    Another enterprise's operator answers exactly as a missing one does, so ids cannot be probed."""
    identity = session.get(Identity, identity_id)
    if (identity is None or identity.organisation_id not in scope.department_ids
            or identity.role not in ("enterprise_admin", "enterprise_operator", "office_operator")):
        raise NotFound("该操作员不存在或不属于本单位")
    return identity, session.get(User, identity.user_id), session.get(Organisation, identity.organisation_id)


def _real_name_status(session: Session, user_id: int) -> str:
    status = session.execute(
        select(RealNameRequest.status).where(RealNameRequest.user_id == user_id)
        .order_by(RealNameRequest.id.desc()).limit(1)
    ).scalar()
    return {"pending": "待审核", "approved": "已认证", "rejected": "已驳回"}.get(status, "未申请")


def operator_detail(db, actor: Actor, identity_id: int) -> OperatorDetail:
    with checked_read(db, actor) as session:
        scope = admin_scope(session, actor)
        identity, user, org = load_operator(session, scope, identity_id)
        return OperatorDetail(
            identity_id=identity.id, user_id=user.id, operator_id=user.username or "", name=user.real_name,
            mobile=identity.mobile or user.mobile or "", department_id=org.id, department=org.name,
            category=org.kind, category_label=CATEGORY_LABELS.get(org.kind, org.kind),
            unit_code=org.credit_code or org.org_code or "", role=identity.role,
            role_label=ROLE_LABELS.get(identity.role, identity.role), status=identity.status,
            status_label=STATUS_LABELS.get(identity.status, identity.status), remark=identity.remark or "",
            id_type=user.id_type or "", id_no_masked=mask_id_no(user.id_no),
            real_name_status=_real_name_status(session, user.id), created_at=local_text(identity.created_at),
            last_login_at=local_text(user.last_login_at), must_change_password=user.must_change_password,
            version=identity.version,
            ssh_key=session.execute(select(SshKey.fingerprint).where(SshKey.identity_id == identity.id)).scalar() or "",
        )


def all_rows(db, actor: Actor, flt: OperatorFilter) -> list[OperatorRow]:
    """Every row the filter finds, in list order (for the XLSX export)."""
    rows: list[OperatorRow] = []
    after = None
    while True:
        page = list_operators(db, actor, flt, after=after, page_size=2000)
        rows.extend(page.rows)
        if not page.has_next:
            return rows
        after = page.rows[-1].identity_id


def export_table(db, actor: Actor, flt: OperatorFilter):
    """The filtered list as the screen shows it (mobiles masked), every page of it, for 导出Excel."""
    from services.transfer.export import Column, ExportTable

    rows = all_rows(db, actor, flt)
    columns = (Column("序号", "number"), "操作员ID", "操作员姓名", "操作员手机号", "部门名称", "角色", "状态")
    return ExportTable("操作员列表", columns, [
        (i + 1, r.operator_id, r.name, r.mobile_masked, r.department, r.role_label, r.status_label)
        for i, r in enumerate(rows)])
