"""业务流水查询 (BJ-22): each organisation sees its own business log (an enterprise its offices' too), the
system administrator all of it.

Pages are keyset pages: ordered by (occurred_at, id) descending, the next page starts after the last row
shown (`LogPage.next`), so page 500 costs what page 1 costs; every filter has an index that ends in the
time (models.records.BusinessLog). The total is counted up to COUNT_LIMIT and shown as "10000+" beyond.
业务类型 and 交易渠道 are offered as the values that exist in the actor's scope, read by a loose index scan
(one index seek per distinct value), not by a DISTINCT over the whole log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from models import AssociationApplication, BusinessLog, Organisation, TaskOrder, User
from services.core.actor import Actor
from services.core.clock import LOCAL_ZONE, local, local_text, utcnow
from services.core.errors import NotFound, ValidationError
from services.core.functions import require
from services.core.session_check import checked_read, checked_write

PAGE_SIZE = 100
COUNT_LIMIT = 10_000
EXPORT_LIMIT = 200_000  # rows an export of one filter may hold (BY-06)
DEFAULT_DAYS = 90  # the date range a clerk sees first: the last three months
CHANNELS = ("终端", "浏览器", "命令行")
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


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
class Cursor:
    """Where a page ends: the (time, id) of its last row."""

    occurred_at: datetime
    log_id: int


@dataclass(frozen=True)
class LogPage:
    rows: tuple[LogRow, ...]
    total: int  # up to COUNT_LIMIT; see total_text
    next: Cursor | None  # None on the last page
    page: int = 1

    @property
    def more_than_counted(self) -> bool:
        return self.total > COUNT_LIMIT

    @property
    def total_text(self) -> str:
        return f"{COUNT_LIMIT}+" if self.more_than_counted else str(self.total)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_LIMIT) // PAGE_SIZE))


@dataclass(frozen=True)
class Target:
    """The business a log row belongs to, for the screen that opens it."""

    kind: str  # "task_order" | "association"
    target_id: int


def default_range(today: date | None = None) -> tuple[date, date]:
    today = today or local(utcnow()).date()
    return today - timedelta(days=DEFAULT_DAYS), today


def parse_date(text: str, field: str, label: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}格式应为 2026-01-31", field=field) from None
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"{label}应在 {EARLIEST} 到 {LATEST} 之间", field=field)
    return day


def _utc_bound(day: date) -> datetime:
    """Local midnight of `day` in UTC, the zone the timestamps are stored in."""
    return datetime.combine(day, time.min, LOCAL_ZONE).astimezone(timezone.utc)


def _scope(session: Session, actor: Actor):
    """The rows the actor may see, as one indexed condition (the office ids are read first, so that an
    enterprise's condition is a short IN list on the organisation column)."""
    if actor.role == "sysadmin":
        return None
    if actor.organisation_id is None:
        return BusinessLog.user_id == actor.user_id
    if actor.organisation_kind == "enterprise":
        offices = session.execute(select(Organisation.id).where(
            Organisation.parent_id == actor.organisation_id)).scalars().all()
        if offices:
            return BusinessLog.organisation_id.in_([actor.organisation_id, *offices])
    return BusinessLog.organisation_id == actor.organisation_id


def _conditions(session: Session, actor: Actor, flt: LogFilter) -> list:
    require(actor, "business_log")
    for day, field, label in ((flt.start, "start", "开始日期"), (flt.end, "end", "结束日期")):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError(f"{label}应在 {EARLIEST} 到 {LATEST} 之间", field=field)
    if flt.start and flt.end and flt.start > flt.end:
        raise ValidationError("开始日期不能晚于结束日期", field="end")
    conditions = []
    scope = _scope(session, actor)
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


def _after(cursor: Cursor):
    return or_(BusinessLog.occurred_at < cursor.occurred_at,
               and_(BusinessLog.occurred_at == cursor.occurred_at, BusinessLog.id < cursor.log_id))


def _select(session: Session, conditions: list, limit: int):
    # Columns, not entities: an export reads 100,000 rows of one filter. The page is chosen from the log
    # alone (index order, LIMIT), then the operators' names are joined to those rows only.
    page = (select(BusinessLog.id).where(*conditions)
            .order_by(BusinessLog.occurred_at.desc(), BusinessLog.id.desc()).limit(limit).subquery())
    return session.execute(
        select(BusinessLog.serial_no, BusinessLog.application_no, BusinessLog.business_type, BusinessLog.channel,
               BusinessLog.occurred_at, User.real_name, BusinessLog.status, BusinessLog.id)
        .join(page, page.c.id == BusinessLog.id)
        .outerjoin(User, BusinessLog.user_id == User.id)
        .order_by(BusinessLog.occurred_at.desc(), BusinessLog.id.desc())
    ).all()


def _log_rows(found) -> list[LogRow]:
    return [LogRow(serial, number or "", kind, channel, local_text(at), name or "", status)
            for serial, number, kind, channel, at, name, status, _id in found]


def query_log(db, actor: Actor, flt: LogFilter, page: int = 1, after: Cursor | None = None) -> LogPage:
    """One page of the filter: the first, or the one after `after` (the previous page's `next`)."""
    with checked_read(db, actor) as session:
        conditions = _conditions(session, actor, flt)
        total = session.execute(select(func.count()).select_from(
            select(BusinessLog.id).where(*conditions).limit(COUNT_LIMIT + 1).subquery())).scalar_one()
        found = _select(session, conditions + ([_after(after)] if after else []), PAGE_SIZE + 1)
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    last = found[-1] if found else None
    cursor = Cursor(last[4], last[7]) if more and last is not None else None
    return LogPage(rows=tuple(_log_rows(found)), total=total, next=cursor, page=page if after else 1)


def export_rows(db, actor: Actor, flt: LogFilter) -> list[LogRow]:
    """Every row of the filter (at most EXPORT_LIMIT), newest first, for 导出Excel (BY-06)."""
    with checked_read(db, actor) as session:
        return _log_rows(_select(session, _conditions(session, actor, flt), EXPORT_LIMIT))


def _distinct(session: Session, actor: Actor, column) -> list[str]:
    """The distinct values of `column` in the actor's scope, one index seek each (a loose index scan)."""
    scope = _scope(session, actor)
    values: list[str] = []
    while True:
        stmt = select(func.min(column))
        if scope is not None:
            stmt = stmt.where(scope)
        if values:
            stmt = stmt.where(column > values[-1])
        found = session.execute(stmt).scalar()
        if found is None or len(values) >= 500:
            return values
        values.append(found)


def business_types(db, actor: Actor) -> list[str]:
    require(actor, "business_log")
    with checked_read(db, actor) as session:
        return _distinct(session, actor, BusinessLog.business_type)


def channels(db, actor: Actor) -> list[str]:
    require(actor, "business_log")
    with checked_read(db, actor) as session:
        return _distinct(session, actor, BusinessLog.channel)


def choices(db, actor: Actor) -> tuple[list[str], list[str]]:
    """(业务类型, 交易渠道) for the filter's choices, in one call."""
    require(actor, "business_log")
    with checked_read(db, actor) as session:
        return _distinct(session, actor, BusinessLog.business_type), _distinct(session, actor, BusinessLog.channel)


def target_of(db, actor: Actor, application_no: str) -> Target:
    """The task order or association application behind a log row's 申请编号, if the actor may open it
    (the screens' own services check again when it opens)."""
    require(actor, "business_log")
    number = (application_no or "").strip().upper()
    if not number:
        raise NotFound("该笔业务没有申请编号，无可打开的业务")
    with checked_read(db, actor) as session:
        seen = session.execute(select(BusinessLog.id).where(
            BusinessLog.application_no == number, *([s] if (s := _scope(session, actor)) is not None else []))
            .limit(1)).scalar()
        if seen is None:
            raise NotFound("申请编号不存在或不属于本单位")
        order = session.execute(select(TaskOrder.id).where(TaskOrder.application_no == number)).scalar()
        if order is not None:
            return Target("task_order", order)
        application = session.execute(select(AssociationApplication.id).where(
            AssociationApplication.application_no == number)).scalar()
        if application is not None:
            return Target("association", application)
    raise NotFound("该类业务没有可打开的界面")
