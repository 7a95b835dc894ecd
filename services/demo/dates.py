"""Planned start and end dates for demo and test orders: real values counted from today."""

from __future__ import annotations

from datetime import timedelta

from services.core.clock import local, utcnow


def plan_dates(start_in_days: int = 7, days: int = 60) -> dict[str, str]:
    start = local(utcnow()).date() + timedelta(days=start_in_days)
    return {"plan_start": start.isoformat(), "plan_end": (start + timedelta(days=days)).isoformat()}
