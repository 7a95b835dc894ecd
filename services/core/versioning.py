"""Optimistic concurrency: the version column, compared on every update a person makes (B8).

A screen reads a record with its version and sends that version back with each change. The
service loads the row for change (row-locked on PostgreSQL; SQLite admits one writer), calls
`expect`, makes the change and `bump`s: two clerks saving from the same version cannot both win,
and the second is told to refresh instead of silently overwriting the first. The version a
successful change leaves is always the expected one plus one, so the caller can follow its own
changes without reading the row again.
"""

from __future__ import annotations

from typing import Protocol

from services.core.errors import StaleRecord


class Versioned(Protocol):
    version: int


def expect(record: Versioned, expected: int | None) -> None:
    """Refuse when the record moved on since the caller read it (None: the caller does not track it)."""
    if expected is not None and record.version != expected:
        raise StaleRecord()


def bump(record: Versioned) -> int:
    record.version = (record.version or 0) + 1
    return record.version


def change(record: Versioned, expected: int | None) -> int:
    """expect + bump: the one call an update of a versioned record makes."""
    expect(record, expected)
    return bump(record)
