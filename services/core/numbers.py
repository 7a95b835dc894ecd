"""Application and serial numbers: prefix + local date + a per-day counter.

The counter row is bumped inside the caller's write transaction, so two processes can never
hand out the same number; the unique constraints on the numbered columns back this up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from services.core.clock import local, utcnow

PREFIXES = {
    "serial": "LS",  # 业务流水号
    "task_order": "WX",  # 维修支取任务单申请编号
    "association": "GL",  # 物业区域关联申请编号
    "document": "DY",  # 打印单据流水号
    "unit_application": "ZC",  # 物业单位注册申请编号
    "certificate": "BJ",  # 密钥证书编号 issued on approval of a unit registration
}


def next_number(session: Session, kind: str, now: datetime | None = None) -> str:
    prefix = PREFIXES[kind]
    day = local(now or utcnow()).strftime("%Y%m%d")
    last = session.execute(
        text(
            "INSERT INTO number_counter (prefix, day, last) VALUES (:p, :d, 1) "
            "ON CONFLICT (prefix, day) DO UPDATE SET last = number_counter.last + 1 RETURNING last"
        ),
        {"p": prefix, "d": day},
    ).scalar_one()
    return f"{prefix}{day}{last:06d}"
