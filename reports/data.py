"""The plain data a document is rendered from, and its JSON form for the printed-document store.

A stored snapshot must render the same years later, so it holds finished values (names, texts,
integer fen and 0.01 ㎡), never ids to look up again. Lines are stored as arrays in field order:
a 5,000-house signature table stays a few hundred kilobytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

VERSION = 1


@dataclass(frozen=True, slots=True)
class LineData:
    """One house of an apportionment: the one line type of the confirmation, 到户支取详细信息, review,
    consent entry and every printed document (services.task_orders.lines reads and orders them)."""

    building: str
    unit: int
    floor: int
    room_no: str
    owner: str
    area: int  # 0.01 ㎡
    share: int  # fen
    available: int
    arrears: int  # 自筹: the part of the share the available balance does not cover
    house_id: int = 0  # not in a stored document, which never looks a house up again
    choice: str = ""  # the owner's vote (同意 / 不同意 / 未参与 / 未录入), where the view shows it

    @property
    def deducted(self) -> int:
        return self.share - self.arrears


@dataclass(frozen=True)
class Payment:
    """Where and by when an owner pays the arrears (欠款催缴通知单)."""

    deadline: str  # 2026-03-31
    payee: str
    address: str
    contact: str  # who answers questions: name and phone


@dataclass(frozen=True)
class OrderData:
    city: str
    application_no: str
    submitted_on: str
    district: str
    community: str
    community_address: str
    enterprise: str
    enterprise_code: str
    department: str
    project_name: str
    repair_category: str
    repair_part: str
    repair_content: str
    emergency: str
    contractor: str
    budget: int
    amount: int
    method: str
    plan_start: str
    plan_end: str
    contact_name: str
    contact_phone: str
    households: int
    area: int
    rate: str
    remark: str
    replaces: str  # the returned order this one was modified from (BJ-21), or ""
    total_deducted: int
    total_arrears: int
    arrears_count: int
    lines: tuple[LineData, ...] = ()  # only those the document shows
    payment: Payment | None = None


@dataclass(frozen=True)
class Stamp:
    """What differs between a print and its reprint: the time, and the 补打 mark."""

    serial_no: str  # the original print's serial number, on the original and every reprint
    printed_at: str
    reprint: bool = False
    copy_serial_no: str = ""  # a reprint's own serial number, the one its toast and file name show

    def serial_text(self) -> str:
        if self.reprint and self.copy_serial_no and self.copy_serial_no != self.serial_no:
            return f"单据流水号：{self.copy_serial_no}（原{self.serial_no}）"
        return f"单据流水号：{self.serial_no}"


def to_json(data: OrderData) -> str:
    values = asdict(data)
    values["lines"] = [[line.building, line.unit, line.floor, line.room_no, line.owner, line.area, line.share,
                        line.available, line.arrears] for line in data.lines]
    return json.dumps({"version": VERSION, "order": values}, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> OrderData:
    stored = json.loads(text)
    if stored.get("version") != VERSION:
        raise ValueError(f"unknown snapshot version: {stored.get('version')}")
    values = dict(stored["order"])
    values["lines"] = tuple(LineData(*row) for row in values["lines"])
    values["payment"] = Payment(**values["payment"]) if values["payment"] else None
    return OrderData(**values)
