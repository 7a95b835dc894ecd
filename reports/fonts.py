"""Which font prints which character: Noto Sans SC first, then fallbacks, and a check that refuses
a document with a character no font has, naming the character and the field (CJK Extension B
names such as 王𠀀 used to print as 王).

The fallbacks, in order: Noto Sans TC from pylopdf-fonts-zh-tw (installed by pip, ~1,700 Extension
B characters more), the files listed in WXZJ_PDF_FALLBACK_FONTS (separated by the OS path
separator), HanaMinB when the system has it (Debian's fonts-hanazono covers all of Extension B as
Unicode 5.0 has it, U+20000–U+2A6D6), and Symbola (Debian's fonts-symbola: a monochrome outline
font with the emoji and symbols, e.g. 🏠 in a project name; the colour emoji fonts are bitmaps
that a PDF cannot embed as text). fpdf2 embeds only the glyphs used (a subset) of each font a
document uses. `wxzj doctor` says when Extension B is not covered (`extension_b_missing`).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import fields, is_dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


FALLBACK_ENV = "WXZJ_PDF_FALLBACK_FONTS"
SYSTEM_FALLBACKS = ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
                    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")
# CJK Extension B as Unicode 5.0 defined it (the nine characters Unicode 13 added after it are rare
# even among 生僻字, and no Debian font has them yet).
EXTENSION_B = range(0x20000, 0x2A6D7)
# Characters that are layout, not glyphs: never looked up.
_SKIP = {"\n", "\t", " ", "\u3000"}

FIELD_LABELS = {
    "city": "城市", "application_no": "申请编号", "district": "区县", "community": "小区名称",
    "community_address": "小区地址", "enterprise": "物业服务企业", "enterprise_code": "统一社会信用代码",
    "department": "主管部门", "project_name": "项目名称", "repair_category": "维修类别", "repair_part": "维修部位",
    "repair_content": "维修内容", "contractor": "施工单位", "contact_name": "联系人", "contact_phone": "联系电话",
    "rate": "分摊标准", "remark": "备注", "replaces": "原任务单", "method": "分摊方式", "emergency": "是否应急维修",
    "building": "自然幢", "room_no": "房号", "owner": "业主姓名", "payee": "收款单位", "address": "缴款地址",
    "contact": "咨询电话", "deadline": "缴款期限", "plan_start": "计划开工日期", "plan_end": "计划完工日期",
    "submitted_on": "申请日期",
}


class UnprintableCharacter(ValueError):
    def __init__(self, char: str, field: str) -> None:
        self.char, self.field = char, field
        name = unicodedata.name(char, "")
        super().__init__(f"“{FIELD_LABELS.get(field, field)}”中的字符“{char}”（U+{ord(char):04X}{' ' + name if name else ''}）"
                         "没有可用的字体，无法打印。请改用常用字或拼音注明后再打印")


def fallback_paths() -> list[Path]:
    paths = [Path(str(resources.files("pylopdf_fonts_zh_tw") / "NotoSansTC-Regular.otf"))]
    extra = os.environ.get(FALLBACK_ENV, "")
    paths += [Path(p).expanduser() for p in extra.split(os.pathsep) if p.strip()]
    paths += [Path(p) for p in SYSTEM_FALLBACKS]
    return [p for p in paths if p.is_file()]


@lru_cache(maxsize=8)
def coverage(path: str) -> frozenset[int]:
    """The code points a font file maps (read once per process, and once per machine when the print
    child's font cache is set: reports.font_cache)."""
    from reports import font_cache

    def derive() -> frozenset[int]:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap())

    return font_cache.coverage(Path(path), derive)


def font_chain(primary: Path) -> list[tuple[str, Path, frozenset[int]]]:
    """(fpdf font name, file, code points) for the primary font and each fallback."""
    chain = [("zh", primary, coverage(str(primary)))]
    for index, path in enumerate(fallback_paths(), start=1):
        if path != primary:
            chain.append((f"zh{index}", path, coverage(str(path))))
    return chain


def extension_b_missing(chain: list[tuple[str, Path, frozenset[int]]]) -> int:
    """How many Extension B characters no font of the chain has (0: every 生僻字 name prints)."""
    covered = frozenset().union(*(points for _, _, points in chain))
    return sum(1 for code in EXTENSION_B if code not in covered)


def _texts(data):
    """Every text of a document's data, wherever it sits: the order's fields, its lines and payment,
    or another document's own dataclass (the 物业单位注册申请单's)."""
    for f in fields(data):
        value = getattr(data, f.name)
        if isinstance(value, str):
            yield f.name, value
        elif is_dataclass(value):
            yield from _texts(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if is_dataclass(item):
                    yield from _texts(item)


def check_printable(data, chain: list[tuple[str, Path, frozenset[int]]]) -> None:
    """Raise UnprintableCharacter for the first character that no font of the chain has."""
    covered = chain[0][2]
    seen: set[str] = set()
    for field, text in _texts(data):
        for char in set(text) - seen:
            seen.add(char)
            code = ord(char)
            if char in _SKIP or code in covered or unicodedata.category(char) in ("Cc", "Cf", "Zs"):
                continue
            if not any(code in points for _, _, points in chain[1:]):
                raise UnprintableCharacter(char, field)
