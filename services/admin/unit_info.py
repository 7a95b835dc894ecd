"""单位信息管理 (BJ-25): the enterprise administrator changes the unit's auxiliary information; the change is
done at once (no review) and the business log keeps the old and new value of every changed field.

The core information (name, nature, credit code, legal representative) is read-only, except the unit name,
which changes only after 【质监校验】: the enterprise register (services.admin.enterprise_register, a
pluggable provider) must list the new name under the unit's credit code. Two administrators editing at
once: the save is a conditional UPDATE on the version read, and the second one is told to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from models import District, Organisation
from services.admin.enterprise_register import register_provider
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.errors import NotFound, PermissionDenied, StaleRecord, ValidationError
from services.core.functions import require
from services.core.money import parse_yuan, plain_fen
from services.core.session_check import checked_read, checked_write
from services.identity import validators as v

BUSINESS_TYPE = "单位信息变更"
STALE = "该记录已被他人修改，请刷新后重试"
LEGAL_PERSON_CHOICES = ("是", "否")


def _text(label: str, length: int) -> Callable[[str, str], str]:
    def check(value: str, field: str) -> str:
        if len(value) > length:
            raise ValidationError(f"{label}不能超过{length}个字", field=field)
        if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise ValidationError(f"{label}含有无法保存的字符", field=field)
        return value
    return check


def _date(value: str, field: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError("单位设立日期格式应为 2001-01-31", field=field) from None
    if not date(1900, 1, 1) <= day <= date.today():
        raise ValidationError("单位设立日期应在 1900-01-01 到今天之间", field=field)
    return day


def _choice(value: str, field: str) -> str:
    if value not in LEGAL_PERSON_CHOICES:
        raise ValidationError("是否具备法人资格请选择“是”或“否”", field=field)
    return value


@dataclass(frozen=True)
class UnitField:
    key: str  # the Organisation column, and the form field's id
    label: str
    required: bool
    max_length: int
    check: Callable[[str, str], object]
    hint: str = ""


FIELDS: tuple[UnitField, ...] = (
    UnitField("address", "单位地址", True, 200, _text("单位地址", 200)),
    UnitField("postcode", "单位邮编", True, 6, lambda s, f: v.postcode(s, f), "6位数字"),
    UnitField("office_address", "单位办公地地址", False, 200, _text("单位办公地地址", 200)),
    UnitField("office_postcode", "单位办公地邮编", False, 6, lambda s, f: v.postcode(s, f), "6位数字"),
    UnitField("phone", "单位电话", True, 30, lambda s, f: v.landline(s, f), "010-62345678"),
    UnitField("other_phone", "单位其他电话", False, 30, lambda s, f: v.landline(s, f)),
    UnitField("email", "单位电子信箱", False, 100, lambda s, f: v.email(s, f)),
    UnitField("founded_on", "单位设立日期", False, 10, _date, "2001-01-31"),
    UnitField("registered_capital_fen", "注册资本(元)", False, 16, lambda s, f: parse_yuan(s, f, "注册资本")),
    UnitField("fax", "单位传真", False, 30, lambda s, f: v.landline(s, f)),
    UnitField("ownership", "单位所有制关系", False, 30, _text("单位所有制关系", 30)),
    UnitField("unit_id_no", "单位证件号码", False, 40, _text("单位证件号码", 40)),
    UnitField("economic_type", "单位经济类型", False, 30, _text("单位经济类型", 30)),
    UnitField("legal_rep_phone", "法人或负责人代表电话", False, 30, lambda s, f: v.landline(s, f)),
    UnitField("legal_rep_mobile", "法人或负责人代表手机号", True, 11, lambda s, f: v.mobile(s, f)),
    UnitField("competent_dept", "主管部门", False, 100, _text("主管部门", 100)),
    UnitField("fund_type", "资金类型", False, 30, _text("资金类型", 30)),
    UnitField("admin_relation", "行政关系", False, 30, _text("行政关系", 30)),
    UnitField("legal_person", "是否具备法人资格", False, 2, _choice, "是/否"),
    UnitField("budget_code", "单位预算代码", False, 40, _text("单位预算代码", 40)),
    UnitField("approval_doc", "单位设立批准文件", False, 100, _text("单位设立批准文件", 100)),
    UnitField("industry", "单位所属行业", False, 50, _text("单位所属行业", 50)),
    UnitField("licence_no", "企业法人营业执照号码", False, 40, _text("企业法人营业执照号码", 40)),
    UnitField("tax_no", "税务登记证号", False, 40, _text("税务登记证号", 40)),
    UnitField("dept_budget_code", "部门预算代码", False, 40, _text("部门预算代码", 40)),
    UnitField("bank_permit", "基本户开户许可证", False, 40, _text("基本户开户许可证", 40)),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
DISTRICT_FIELD = "district_id"
NAME_FIELD = "name"


@dataclass(frozen=True)
class UnitInfo:
    organisation_id: int
    version: int
    name: str
    core: tuple[tuple[str, str], ...]  # (label, value), read-only
    values: dict[str, str]  # form text per FIELDS key
    district_id: int | None
    districts: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Changed:
    changes: tuple[tuple[str, str, str], ...]  # (label, old, new)
    serial_no: str


def _require_admin(actor: Actor) -> int:
    require(actor, "unit_info")
    if actor.role != "enterprise_admin" or actor.organisation_kind != "enterprise" or actor.organisation_id is None:
        raise PermissionDenied("只有物业服务企业的管理员可以变更单位信息")
    return actor.organisation_id


def _shown(key: str, value) -> str:
    if value is None:
        return ""
    if key == "registered_capital_fen":
        return plain_fen(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def load(db, actor: Actor) -> UnitInfo:
    org_id = _require_admin(actor)
    with checked_read(db, actor) as session:
        org = session.get(Organisation, org_id)
        if org is None:
            raise NotFound("单位不存在")
        city = session.get(District, org.district_id).city if org.district_id else None
        stmt = select(District.id, District.name).order_by(District.code)
        if city:
            stmt = stmt.where(District.city == city)
        districts = tuple((i, n) for i, n in session.execute(stmt))
        core = (("单位名称", org.name), ("单位性质", org.org_type or "物业服务企业"),
                ("社会诚信代码", org.credit_code or ""), ("组织机构代码", org.org_code or ""),
                ("法人或负责人代表姓名", org.legal_rep_name or ""))
        values = {f.key: _shown(f.key, getattr(org, f.key)) for f in FIELDS}
        return UnitInfo(org.id, org.version, org.name, core, values, org.district_id, districts)


def verify_name(db, actor: Actor, new_name: str) -> str:
    """【质监校验】: the new unit name must be the one the enterprise register lists under the unit's credit
    code. Returns the checked name (what submit() then accepts as verified)."""
    org_id = _require_admin(actor)
    name = clean_name(new_name)
    with checked_read(db, actor) as session:
        org = session.get(Organisation, org_id)
        if name == org.name:
            raise ValidationError("单位名称未变更，无需质监校验", field=NAME_FIELD)
        registered = register_provider().registered_name(session, org.credit_code or "")
    if registered is None:
        raise ValidationError("质监校验未通过：企业登记信息中没有本单位的社会诚信代码", field=NAME_FIELD)
    if registered != name:
        raise ValidationError("质监校验未通过：该名称与社会诚信代码登记的企业名称不一致", field=NAME_FIELD)
    return name


def clean_name(text: str) -> str:
    name = (text or "").strip()
    if not name:
        raise ValidationError("请输入单位名称", field=NAME_FIELD)
    return _text("单位名称", 100)(name, NAME_FIELD)


def parse(values: dict[str, str]) -> dict[str, object]:
    """Every form value checked; the first wrong one raises at its field."""
    parsed: dict[str, object] = {}
    for spec in FIELDS:
        text = (values.get(spec.key) or "").strip()
        if not text:
            if spec.required:
                raise ValidationError(f"请输入{spec.label}", field=spec.key)
            parsed[spec.key] = None
            continue
        parsed[spec.key] = spec.check(text, spec.key)
    return parsed


def submit(db, actor: Actor, values: dict[str, str], version: int, *, new_name: str | None = None,
           verified_name: str | None = None, district_id: int | None = None) -> Changed:
    """【提交】: apply the form at once if nobody changed the unit since `version` was read."""
    org_id = _require_admin(actor)
    parsed = parse(values)
    with checked_write(db, actor) as session:
        org = session.get(Organisation, org_id)
        if org is None:
            raise NotFound("单位不存在")
        new: dict[str, object] = dict(parsed)
        if new_name is not None and clean_name(new_name) != org.name:
            name = clean_name(new_name)
            if verified_name != name:
                raise ValidationError("变更单位名称须先点击【质监校验】", field=NAME_FIELD)
            registered = register_provider().registered_name(session, org.credit_code or "")
            if registered != name:  # the register changed since the check
                raise ValidationError("质监校验未通过：该名称与社会诚信代码登记的企业名称不一致", field=NAME_FIELD)
            new[NAME_FIELD] = name
        if district_id is not None:
            if session.get(District, district_id) is None:
                raise ValidationError("请选择所属区县", field=DISTRICT_FIELD)
            new[DISTRICT_FIELD] = district_id
        changes = {k: (getattr(org, k), val) for k, val in new.items() if getattr(org, k) != val}
        if not changes:
            raise ValidationError("单位信息没有变更，无需提交")
        moved = session.execute(
            update(Organisation).where(Organisation.id == org_id, Organisation.version == version)
            .values(**{k: val for k, (_, val) in changes.items()}, version=Organisation.version + 1)
            .execution_options(synchronize_session=False)).rowcount
        if moved != 1:
            raise StaleRecord(STALE)
        district_names = {i: n for i, n in session.execute(select(District.id, District.name))}
        labelled = tuple((_label(k), _logged(k, old, district_names), _logged(k, val, district_names))
                         for k, (old, val) in changes.items())
        row = record_action(
            session, actor, BUSINESS_TYPE, summary="变更：" + "、".join(label for label, _, _ in labelled),
            detail={"organisation_id": org_id, "changes": {k: [_logged(k, o, district_names),
                                                               _logged(k, n, district_names)]
                                                           for k, (o, n) in changes.items()}})
        return Changed(labelled, row.serial_no)


def _label(key: str) -> str:
    if key == NAME_FIELD:
        return "单位名称"
    if key == DISTRICT_FIELD:
        return "所属区县"
    return FIELD_BY_KEY[key].label


def _logged(key: str, value, district_names: dict[int, str]) -> str:
    if key == DISTRICT_FIELD:
        return district_names.get(value, "") if value is not None else ""
    return _shown(key, value)
