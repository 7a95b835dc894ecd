"""Working days for review deadlines (BY-01).

Weekends and China's official public holidays do not count; weekend days the State Council's
yearly schedule turns into working days (调休上班) do. The calendar is the maintained `holidays`
package rather than a list of our own: it follows each published schedule, and for a year whose
schedule is not out yet it still knows the fixed and lunar holidays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.core.clock import local, utcnow

# The calendar fills in a year on its first lookup, which is not safe from two worker threads at once.
_LOCK = threading.Lock()
_CHINA = None


def is_working_day(day: date) -> bool:
    global _CHINA
    with _LOCK:
        if _CHINA is None:
            # Loaded on the first deadline, not on import: `holidays` is ~12 MB of resident memory, and
            # Home imports the screens of all the clerk's functions ahead (screens.shell.registry.warm).
            import holidays

            _CHINA = holidays.China()
        return _CHINA.is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start`; `start` itself never counts."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def working_days_between(after: date, until: date) -> int:
    """Working days in (after, until]."""
    count, day = 0, after
    while day < until:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int  # working days after today up to the due day; negative when overdue
    label: str


def deadline(submitted_at: datetime, working_days: int, today: date | None = None) -> Deadline:
    """Due `working_days` working days after the local day of submission."""
    due = add_working_days(local(submitted_at).date(), working_days)
    today = today or local(utcnow()).date()
    if today <= due:
        left = working_days_between(today, due)
        label = f"{due:%m-%d} 剩{left}个工作日" if left else f"{due:%m-%d} 今日到期"
    else:
        left = -working_days_between(due, today)
        label = f"{due:%m-%d} 超期{-left}个工作日" if left else f"{due:%m-%d} 已到期"
    return Deadline(due, left, label)
