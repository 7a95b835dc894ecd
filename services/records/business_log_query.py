"""业务流水查询 (BJ-22): each organisation sees its own business log, the system administrator all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, or_, select

from models import BusinessLog, Organisation, User
from services.core.actor import Actor
from services.core.clock import LOCAL_ZONE, local_text
from services.core.errors import ValidationError
from services.core.functions import require

PAGE_SIZE = 100
EXPORT_LIMIT = 200_000  # rows an export of one filter may hold (BY-06)
CHANNELS = ("终端", "浏览器", "命令行")


@dataclass(frozen=True)
class LogFilter:
    start: date | None = None
    end: date | None = None
    business_type: str | None = None
    channel: str | None = None
    application_no: str | None = None


@dataclass(frozen=True)
class LogRow:
    serial_no: str
    application_no: str
    business_type: str
    channel: str
    occurred_at: str
    operator: str
    status: str


@dataclass(frozen=True)
class LogPage:
    rows: tuple[LogRow, ...]
    total: int
    page: int
    pages: int


def parse_date(text: str, field: str, label: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}格式应为 2026-01-31", field=field) from None


def _utc_bound(day: date) -> datetime:
    """Local midnight of `day` in UTC, the zone the timestamps are stored in."""
    return datetime.combine(day, time.min, LOCAL_ZONE).astimezone(timezone.utc)


def _scope(actor: Actor):
    if actor.role == "sysadmin":
        return None
    if actor.organisation_id is None:
        return BusinessLog.user_id == actor.user_id
    if actor.organisation_kind == "enterprise":
        offices = select(Organisation.id).where(Organisation.parent_id == actor.organisation_id)
        return or_(BusinessLog.organisation_id == actor.organisation_id, BusinessLog.organisation_id.in_(offices))
    return BusinessLog.organisation_id == actor.organisation_id


def _conditions(actor: Actor, flt: LogFilter) -> list:
    require(actor, "business_log")
    if flt.start and flt.end and flt.start > flt.end:
        raise ValidationError("开始日期不能晚于结束日期", field="end")
    conditions = []
    scope = _scope(actor)
    if scope is not None:
        conditions.append(scope)
    if flt.start:
        conditions.append(BusinessLog.occurred_at >= _utc_bound(flt.start))
    if flt.end:
        conditions.append(BusinessLog.occurred_at < _utc_bound(flt.end + timedelta(days=1)))
    if flt.business_type:
        conditions.append(BusinessLog.business_type == flt.business_type)
    if flt.channel:
        conditions.append(BusinessLog.channel == flt.channel)
    if flt.application_no and flt.application_no.strip():
        conditions.append(BusinessLog.application_no == flt.application_no.strip().upper())
    return conditions


def _rows(session, conditions: list, limit: int, offset: int = 0) -> list[LogRow]:
    # Columns, not entities: an export reads 100,000 rows of one filter.
    found = session.execute(
        select(BusinessLog.serial_no, BusinessLog.application_no, BusinessLog.business_type, BusinessLog.channel,
               BusinessLog.occurred_at, User.real_name, BusinessLog.status)
        .outerjoin(User, BusinessLog.user_id == User.id)
        .where(*conditions)
        .order_by(BusinessLog.occurred_at.desc(), BusinessLog.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [LogRow(serial, number or "", kind, channel, local_text(at), name or "", status)
            for serial, number, kind, channel, at, name, status in found]


def query_log(db, actor: Actor, flt: LogFilter, page: int = 1) -> LogPage:
    conditions = _conditions(actor, flt)
    with db.read() as session:
        total = session.execute(select(func.count()).select_from(BusinessLog).where(*conditions)).scalar_one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        rows = _rows(session, conditions, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return LogPage(rows=tuple(rows), total=total, page=page, pages=pages)


def export_rows(db, actor: Actor, flt: LogFilter) -> list[LogRow]:
    """Every row of the filter (at most EXPORT_LIMIT), newest first, for 导出Excel (BY-06)."""
    conditions = _conditions(actor, flt)
    with db.read() as session:
        return _rows(session, conditions, EXPORT_LIMIT)


def business_types(db, actor: Actor) -> list[str]:
    require(actor, "business_log")
    scope = _scope(actor)
    with db.read() as session:
        stmt = select(BusinessLog.business_type).distinct().order_by(BusinessLog.business_type)
        if scope is not None:
            stmt = stmt.where(scope)
        return list(session.execute(stmt).scalars())
