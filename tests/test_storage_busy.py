"""D13/C10 on both back ends: a lock another transaction holds past the timeout is 数据库忙，请稍后重试,
in time, and the waiting action changes nothing. On PostgreSQL it is a row lock (another clerk's
open transaction on the same draft): without lock_timeout the save would wait as long as that
transaction lasts."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

import models.db
from models.db import Database
from models.faults import BUSY, storage_fault
from services.task_orders import drafts
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends


class Holder:
    """Another connection's open transaction holding the lock a write needs: the draft's row on
    PostgreSQL (SELECT … FOR UPDATE), the write lock on SQLite. It lets go after `limit` seconds at
    the latest, so a write that waits instead of timing out fails the test instead of hanging it."""

    def __init__(self, url: str, order_id: int, limit: float = 20) -> None:
        self.engine = create_engine(url)
        self.conn = self.engine.connect()
        if url.startswith("sqlite"):
            self.conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            self.conn.begin()
            self.conn.execute(text("SELECT id FROM task_order WHERE id = :id FOR UPDATE"), {"id": order_id})
        self.timer = threading.Timer(limit, self.release)
        self.timer.start()

    def release(self) -> None:
        try:
            self.conn.rollback()
        except Exception:  # noqa: BLE001 - already released
            pass

    def close(self) -> None:
        self.timer.cancel()
        self.release()
        self.conn.close()
        self.engine.dispose()


def test_a_lock_held_past_the_timeout_is_busy_and_changes_nothing(demo_db, demo_url, actor_of, monkeypatch):
    clerk = actor_of("qyjb")
    order_id, _ = ready_draft(demo_db, clerk, houses=3)
    monkeypatch.setattr(models.db, "BUSY_TIMEOUT_MS", 500)
    db = Database(demo_url)  # a new engine: its connections get the shortened timeout
    holder = Holder(demo_url, order_id)
    started = time.monotonic()
    try:
        with pytest.raises(Exception) as err:
            drafts.save_field(db, clerk, order_id, "project_name", "另一个项目名称")
        waited = time.monotonic() - started
    finally:
        holder.close()
        db.dispose()
    assert storage_fault(err.value) == BUSY
    assert waited < 10
    assert drafts.draft_state(demo_db, clerk, order_id).values["project_name"] != "另一个项目名称"
    # Once the other transaction has ended, the same save goes through.
    drafts.save_field(demo_db, clerk, order_id, "project_name", "另一个项目名称")
    assert drafts.draft_state(demo_db, clerk, order_id).values["project_name"] == "另一个项目名称"
