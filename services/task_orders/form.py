"""The task order form (BJ-10): its fields, how each is checked, and the check of the whole form.

Each field is stored as soon as the clerk leaves it (BY-04), so every field has its own parser
that either returns the value to store or raises a ValidationError naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from models import TaskOrder
from services.core.clock import local, utcnow
from services.core.errors import ValidationError
from services.core.money import format_area, format_fen, parse_area, parse_yuan, plain_fen, rate_text
from services.core.parsing import ascii_digits, check_text, parse_date, parse_int

REPAIR_CATEGORIES = ("屋面防水", "外墙", "电梯", "消防设施", "给排水", "供暖", "道路及公共照明", "安防及门禁", "其他")
METHOD_LABELS = {"area": "按建筑面积", "household": "按户平均"}
YES_NO = {"否": False, "是": True}
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_RATE = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    required: bool
    max_length: int
    choices: tuple[str, ...] = ()
    hint: str = ""


FIELDS: tuple[FormField, ...] = (
    FormField("project_name", "项目名称", True, 100),
    FormField("repair_category", "维修类别", True, 20, REPAIR_CATEGORIES),
    FormField("repair_part", "维修部位", True, 200),
    FormField("repair_content", "维修内容", True, 1000),
    FormField("emergency", "是否应急维修", False, 1, tuple(YES_NO)),
    FormField("contractor", "施工单位", False, 100),
    FormField("budget", "预算金额(元)", True, 16, hint="如 120000.00"),
    FormField("amount", "申请支取金额(元)", True, 16, hint="不超过预算金额"),
    FormField("method", "分摊方式", True, 10, tuple(METHOD_LABELS.values())),
    # Required, with a hint that cannot pass for a value: a grey 2026-12-01 was taken as filled in.
    FormField("plan_start", "计划开工日期", True, 10, hint="年-月-日"),
    FormField("plan_end", "计划完工日期", True, 10, hint="年-月-日，不早于开工日期"),
    FormField("contact_name", "联系人", True, 40),
    FormField("contact_phone", "联系电话", True, 20, hint="手机或固话"),
    FormField("total_households", "分摊总户数", True, 7),
    FormField("total_area", "分摊总面积(㎡)", True, 14),
    FormField("rate", "分摊标准(元/㎡)", True, 12),
    FormField("remark", "备注", False, 500),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


def _text(spec: FormField, raw: str) -> str | None:
    return check_text(raw, spec.key, spec.label, spec.max_length) or None


def _choice(spec: FormField, raw: str) -> str | None:
    value = check_text(raw, spec.key, spec.label)
    if value and value not in spec.choices:
        raise ValidationError(f"{spec.label}须为：{'、'.join(spec.choices)}", field=spec.key)
    return value or None


def _date(spec: FormField, raw: str) -> date | None:
    return parse_date(raw, spec.key, spec.label)


def _phone(spec: FormField, raw: str) -> str | None:
    value = ascii_digits(check_text(raw, spec.key, spec.label)).replace(" ", "")
    if value and not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        raise ValidationError("联系电话须为11位手机号或固定电话（如 010-12345678）", field=spec.key)
    return value or None


def _count(spec: FormField, raw: str) -> int | None:
    if not raw.strip():
        return None
    return parse_int(raw, spec.key, spec.label, minimum=1, maximum=10 ** spec.max_length - 1)


def _rate(spec: FormField, raw: str) -> str | None:
    value = ascii_digits(check_text(raw, spec.key, spec.label)).strip()
    if value and not _RATE.fullmatch(value):
        raise ValidationError(f"{spec.label}须为数字，最多两位小数", field=spec.key)
    return value or None


def _optional(parser: Callable[[str, str, str], int]) -> Callable[[FormField, str], int | None]:
    return lambda spec, raw: parser(raw, spec.key, spec.label) if raw.strip() else None


# field key → (TaskOrder column, parser, formatter back to what the clerk sees)
_COLUMNS: dict[str, tuple[str, Callable[[FormField, str], Any], Callable[[Any], str]]] = {
    "project_name": ("project_name", _text, str),
    "repair_category": ("repair_category", _choice, str),
    "repair_part": ("repair_part", _text, str),
    "repair_content": ("repair_content", _text, str),
    "emergency": ("emergency", lambda s, raw: YES_NO[_choice(s, raw) or "否"], lambda v: "是" if v else "否"),
    "contractor": ("contractor", _text, str),
    "budget": ("budget_fen", _optional(parse_yuan), plain_fen),
    "amount": ("amount_fen", _optional(parse_yuan), plain_fen),
    "method": ("method", lambda s, raw: {v: k for k, v in METHOD_LABELS.items()}[_choice(s, raw) or "按建筑面积"],
               METHOD_LABELS.__getitem__),
    "plan_start": ("plan_start", _date, date.isoformat),
    "plan_end": ("plan_end", _date, date.isoformat),
    "contact_name": ("contact_name", _text, str),
    "contact_phone": ("contact_phone", _phone, str),
    "total_households": ("total_households", _count, str),
    "total_area": ("total_area", _optional(parse_area), format_area),
    "rate": ("rate_text", _rate, str),
    "remark": ("remark", _text, str),
}


def parse_field(key: str, raw: str) -> tuple[str, Any]:
    """(column, value) for a field as typed, or a ValidationError at that field."""
    spec = FIELD_BY_KEY.get(key)
    if spec is None:
        raise ValidationError("未知的表单项", field=key)
    column, parser, _ = _COLUMNS[key]
    return column, parser(spec, raw)


def check_cross_fields(order: TaskOrder, changed: str) -> None:
    """Rules between fields, reported at the field just changed."""
    if order.amount_fen and order.budget_fen and order.amount_fen > order.budget_fen:
        field = changed if changed in ("amount", "budget") else "amount"
        raise ValidationError("申请支取金额不能超过预算金额", field=field)
    if order.plan_start and order.plan_end and order.plan_end < order.plan_start:
        field = changed if changed in ("plan_start", "plan_end") else "plan_end"
        raise ValidationError("计划完工日期不能早于计划开工日期", field=field)


def form_values(order: TaskOrder) -> dict[str, str]:
    """What each field shows for a stored order."""
    values = {}
    for key, (column, _, formatter) in _COLUMNS.items():
        value = getattr(order, column)
        values[key] = "" if value is None else formatter(value)
    return values


def display_values(values: dict[str, str]) -> dict[str, str]:
    """The form's values for reading (not for typing back): amounts grouped as everywhere else,
    150000.00 → 150,000.00."""
    shown = dict(values)
    for key in ("budget", "amount"):
        if shown.get(key):
            shown[key] = format_fen(parse_yuan(shown[key], key, FIELD_BY_KEY[key].label))
    return shown


def check_complete(order: TaskOrder, households: int, area: int) -> None:
    """The whole form before confirmation: required fields, then agreement with the saved houses."""
    values = form_values(order)
    for spec in FIELDS:
        if spec.required and not values[spec.key]:
            raise ValidationError(f"请填写{spec.label}", field=spec.key)
    check_cross_fields(order, "")
    if order.plan_end < local(utcnow()).date():
        raise ValidationError("计划完工日期已过，请重新填写", field="plan_end")
    if households == 0:
        raise ValidationError("请勾选已保存房屋的自然幢作为分摊范围", field="scope")
    if order.total_households != households or order.total_area != area:
        raise ValidationError(
            f"分摊总户数和分摊总面积须与勾选自然幢已保存的房屋一致（{households}户，{format_area(area)}㎡），"
            "请按【填入勾选房屋户数和面积】",
            field="total_households" if order.total_households != households else "total_area",
        )
    if order.rate_text != rate_text(order.amount_fen, area):
        raise ValidationError("分摊标准与申请支取金额÷分摊总面积不一致，请按【计算分摊标准】", field="rate")
