"""What each import kind holds: its columns (the template's header), which are required, and an
example row for the template. The header of a file must name every required column; the order is free.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from services.core.errors import ValidationError


@dataclass(frozen=True)
class Col:
    key: str
    title: str
    required: bool = True
    example: object = ""
    text_format: bool = False  # kept as text in the template (ID numbers, room numbers)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    columns: tuple[Col, ...]
    note: str


_DISTRICT = Col("district", "区县", example="朝阳区")
_COMMUNITY = Col("community", "小区名称", example="望京花园")
_BUILDING = Col("building", "自然幢", example="1号楼", text_format=True)

KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("communities", "小区", (
        _DISTRICT, _COMMUNITY,
        Col("developer", "开发企业", example="北京市望京房地产开发有限公司"),
        Col("address", "小区地址", example="北京市朝阳区望京街1号"),
        Col("code", "小区编码", required=False, example="", text_format=True),
    ), "按 区县 + 小区名称 识别；小区编码不填时自动编号；开发企业不存在时按名称登记"),
    Kind("buildings", "自然幢", (
        _DISTRICT, _COMMUNITY, _BUILDING,
        Col("units", "单元数", example=2),
        Col("floors_above", "地上层数", example=18),
        Col("floors_below", "地下层数", required=False, example=1),
        Col("structure", "结构", required=False, example="钢混"),
        Col("built_year", "建成年份", required=False, example=2008),
    ), "按 区县 + 小区名称 + 自然幢 识别；各单元层数、每层户数可以不同，以导入的房屋为准"),
    Kind("houses", "房屋、业主和期初余额", (
        _DISTRICT, _COMMUNITY, _BUILDING,
        Col("unit", "单元", example=1),
        Col("floor", "层", example=12),
        Col("room", "室", example=3),
        Col("room_no", "房号", example="1203", text_format=True),
        Col("use", "房屋用途", example="住宅"),
        Col("area", "建筑面积(㎡)", example="89.50"),
        Col("owner_kind", "业主类型", example="个人"),
        Col("owner_name", "业主名称", example="张伟"),
        Col("id_type", "证件类型", example="居民身份证"),
        Col("id_no", "证件号码", example="11010519491231002X", text_format=True),
        Col("phone", "联系电话", required=False, example="13800138000", text_format=True),
        Col("balance", "期初余额(元)", example="12345.67"),
        Col("opened_on", "期初日期", required=False, example="2026-01-01"),
    ), "按 区县 + 小区 + 自然幢 + 单元/层/室 识别房屋，按 证件类型 + 证件号码 识别业主（一人可有多套房屋）；"
       "层为负数表示地下；期初余额记为分户账的期初交存，再次导入时只记差额（余额调整）"),
)}


def kind(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValidationError(f"未知的导入类型：{key}（可选：{'、'.join(KINDS)}）", field="kind") from None


def normal(title: str) -> str:
    """Header cells compare after NFKC, so 建筑面积（㎡） and 建筑面积(m2)-like variants of width match."""
    return unicodedata.normalize("NFKC", title).replace(" ", "").replace("m²", "㎡").replace("m2", "㎡")


def locate(spec: Kind, header: list[str]) -> dict[str, int]:
    """Column key → index in the file; a wrong or incomplete header is refused with what is missing."""
    wanted = {normal(c.title): c for c in spec.columns}
    found: dict[str, int] = {}
    unknown, twice = [], []
    for index, title in enumerate(header):
        if not title:
            continue
        col = wanted.get(normal(title))
        if col is None:
            unknown.append(title)
        elif col.key in found:
            twice.append(title)
        else:
            found[col.key] = index
    missing = [c.title for c in spec.columns if c.required and c.key not in found]
    problems = []
    if missing:
        problems.append(f"缺少列：{'、'.join(missing)}")
    if twice:
        problems.append(f"重复的列：{'、'.join(twice)}")
    if unknown:
        problems.append(f"无法识别的列：{'、'.join(unknown[:8])}")
    if problems:
        raise ValidationError(f"第1行表头与“{spec.label}”导入模板不符（{'；'.join(problems)}）。"
                              f"请下载模板（wxzj import --template {spec.key} -o 模板.xlsx）对照修改", field="path")
    return found
