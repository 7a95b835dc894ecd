"""Import files for the transfer tests, written the way a clerk's Excel or CSV would be."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from services.core.checkcodes import credit_code_check_char, id_card_check_char, org_code_check_char
from services.transfer.kinds import KINDS

COMMUNITIES = [("朝阳区", "望京花园", "北京望京房地产开发有限公司", "北京市朝阳区望京街1号", None),
               ("朝阳区", "朝阳新城", "北京望京房地产开发有限公司", "北京市朝阳区朝阳路9号", "C0009")]
BUILDINGS = [("朝阳区", "望京花园", "1号楼", 2, 6, 1, "钢混", 2008),
             ("朝阳区", "望京花园", "2号楼", 1, 3, None, None, None),
             ("朝阳区", "朝阳新城", "3号楼", 1, 5, 0, "砖混", 1999)]


def resident_id(serial: int) -> str:
    body = f"110105198001{(serial % 28) + 1:02d}{serial % 1000:03d}"
    return body + id_card_check_char(body)


def credit_code(serial: int = 7) -> str:
    org = f"MA{serial:06d}"
    first17 = "91110105" + org + org_code_check_char(org)
    return first17 + credit_code_check_char(first17)


def house_rows(count: int = 6, balance: str = "1000.00") -> list[tuple]:
    """Houses of 望京花园 1号楼: two units, floors 1…, one owner holding the first two houses,
    the developer (an organisation) the last one."""
    rows = []
    for i in range(count):
        unit, floor, room = 1 + i % 2, 1 + i // 4, 1 + (i // 2) % 2
        if i == count - 1:
            owner = ("单位", "北京望京房地产开发有限公司", "统一社会信用代码", credit_code())
        else:
            owner = ("个人", f"业主{max(i, 1)}", "居民身份证", resident_id(max(i, 1)))
        rows.append(("朝阳区", "望京花园", "1号楼", unit, floor, room, f"{floor}{room:02d}", "住宅", 89.5 + i,
                     *owner, "13800138000", balance, "2026-01-01"))
    return rows


def header(kind: str) -> list[str]:
    return [c.title for c in KINDS[kind].columns]


def write_xlsx(path: Path, head: list, rows: list, edit=None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(head))
    for row in rows:
        sheet.append(list(row))
    if edit:
        edit(sheet)
    workbook.save(path)
    return path


def write_csv(path: Path, head: list, rows: list, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(head)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path
