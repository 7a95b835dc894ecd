"""Time: stored as UTC, shown in Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from models.base import utcnow

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")

__all__ = ["LOCAL_ZONE", "local", "local_text", "utcnow"]


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # values from raw SQL on SQLite come back without their offset
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_ZONE)


def local_text(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "" if moment is None else local(moment).strftime(fmt)
