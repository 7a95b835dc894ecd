"""Importing the real-name register (手机二要素 data) from a CSV file: `wxzj realname import FILE.csv`.

Each line is `姓名,手机号码` (a header line with those words is skipped); a mobile already registered
takes the new name. One transaction: a file with a bad line changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from models import RealNameRecord
from services.core.business_log import record_action
from services.core.errors import ValidationError
from services.identity import validators


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def read_csv(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = [row for row in csv.reader(file) if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip() in ("姓名", "name"):
        rows = rows[1:]
    return [tuple(row[:2]) if len(row) >= 2 else (row[0], "") for row in rows]


def import_register(db, rows: Iterable[tuple[str, str]], source: str = "import") -> ImportResult:
    people: dict[str, str] = {}
    for line, (name, mobile) in enumerate(rows, start=1):
        name = name.strip()
        if not name or len(name) > 40:
            raise ValidationError(f"第 {line} 行：姓名不能为空，也不能超过40个字符")
        try:
            people[validators.mobile(mobile)] = name
        except ValidationError as exc:
            raise ValidationError(f"第 {line} 行：{exc.message}") from None
    added = updated = 0
    with db.write() as session:
        known = dict(session.execute(select(RealNameRecord.mobile, RealNameRecord.name)
                                     .where(RealNameRecord.mobile.in_(list(people)))).all()) if people else {}
        for mobile, name in people.items():
            if mobile not in known:
                session.add(RealNameRecord(mobile=mobile, name=name, source=source))
                added += 1
            elif known[mobile] != name:
                session.execute(update(RealNameRecord).where(RealNameRecord.mobile == mobile)
                                .values(name=name, source=source))
                updated += 1
        record_action(session, None, "导入实名登记", summary=f"新增 {added} 人，更新 {updated} 人")
    return ImportResult(added, updated)
