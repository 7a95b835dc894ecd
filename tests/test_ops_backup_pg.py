"""`wxzj backup` on PostgreSQL (pg_dump) while a clerk submits orders: every copy restores into a new
database that passes `wxzj check`, its audit chain whole; restore refuses a database that has tables."""

import threading

import pytest

from models.db import Database
from services.core.business_log import verify_audit_chain
from services.ops.backup import BackupError, backup, restore
from services.ops.invariants import check
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft
from tui.cli import main

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _admin(server, sql: str) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=server.port, user="wxzj", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(sql)


def _orders(db: Database) -> int:
    from sqlalchemy import func, select

    from models import TaskOrder

    with db.read() as session:
        return session.execute(select(func.count()).select_from(TaskOrder).where(TaskOrder.status != "draft")
                               ).scalar_one()


def test_backups_taken_during_submissions_restore_into_new_databases(backend, demo_db, demo_url, actor_of,
                                                                     pg_server, tmp_path, monkeypatch):
    qyjb = actor_of("qyjb")
    drafts = [ready_draft(demo_db, qyjb, houses=6) for _ in range(8)]
    submitted: list[int] = []
    copies = []

    def clerk() -> None:
        for order_id, buildings in drafts:
            task_order_submit.submit(demo_db, qyjb, order_id, buildings)
            submitted.append(order_id)

    writer = threading.Thread(target=clerk)
    writer.start()
    try:
        while writer.is_alive() or len(copies) < 2:
            copies.append((len(submitted), backup(demo_url, tmp_path / f"copy{len(copies)}.dump").path))
    finally:
        writer.join()
    assert len(submitted) == len(drafts) and len(copies) >= 2
    assert copies[0][0] < len(drafts), "a copy was taken while the clerk was still submitting"

    monkeypatch.setenv("WXZJ_DATA_DIR", str(tmp_path / "data"))
    for i, (before, copy) in enumerate(copies):
        name = f"restored_{i}_{tmp_path.name[-20:].lower().replace('-', '_')}"
        _admin(pg_server, f"CREATE DATABASE {name}")
        try:
            url = pg_server.url(name)
            restore(url, copy)
            restored = Database(url)
            try:
                assert check(restored).clean
                with restored.read() as session:
                    assert verify_audit_chain(session) == []
                assert before <= _orders(restored) <= len(drafts)  # one moment between the two counts
            finally:
                restored.dispose()
            assert main(["--database-url", url, "check"]) == 0
            with pytest.raises(BackupError, match="--force"):
                restore(url, copy)
        finally:
            _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
