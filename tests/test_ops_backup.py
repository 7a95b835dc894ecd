"""`wxzj backup` / `wxzj restore`: copies taken while clerks submit orders restore into databases that pass
`wxzj check`; nothing is overwritten without --force; bad input is refused with a clear line."""

import sqlite3
import threading

import pytest

from models.db import Database
from services.core.business_log import verify_audit_chain
from services.ops.backup import BackupError, backup, restore
from services.ops.invariants import check
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft
from tui.cli import main


def count(path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_backups_taken_during_submissions_restore_consistent(demo_db, demo_url, actor_of, tmp_path):
    qyjb = actor_of("qyjb")
    drafts = [ready_draft(demo_db, qyjb, houses=6) for _ in range(8)]
    stop = threading.Event()
    submitted: list[int] = []

    def clerk() -> None:
        for order_id, buildings in drafts:
            if stop.is_set():
                break
            task_order_submit.submit(demo_db, qyjb, order_id, buildings)
            submitted.append(order_id)

    writer = threading.Thread(target=clerk)
    writer.start()
    copies = []
    try:
        while writer.is_alive() or not copies:
            copies.append(backup(demo_url, tmp_path / f"copy{len(copies)}.db").path)
    finally:
        stop.set()
        writer.join()
    assert submitted, "the write load ran"
    for i, copy in enumerate(copies):
        url = f"sqlite:///{tmp_path / f'restored{i}.db'}"
        restore(url, copy)
        restored = Database(url)
        try:
            assert check(restored).clean
            with restored.read() as session:
                assert verify_audit_chain(session) == []
        finally:
            restored.dispose()
    source_orders = count(demo_url.removeprefix("sqlite:///"), "task_order")
    assert count(copies[-1], "task_order") <= source_orders


def test_restore_refuses_to_overwrite_without_force(demo_url, tmp_path):
    copy = backup(demo_url, tmp_path / "copy.db").path
    with pytest.raises(BackupError, match="--force"):
        restore(demo_url, copy)
    restore(demo_url, copy, force=True)
    assert check(Database(demo_url)).clean


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(BackupError, match="不是 SQLite 数据库备份"):
        restore(f"sqlite:///{tmp_path / 'new.db'}", text)
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="不是 wxzj 数据库的备份"):
        restore(f"sqlite:///{tmp_path / 'new.db'}", foreign)
    with pytest.raises(BackupError, match="备份文件不存在"):
        restore(f"sqlite:///{tmp_path / 'new.db'}", tmp_path / "missing.db")


def test_backup_never_leaves_a_half_file(demo_url, tmp_path, monkeypatch):
    import services.ops.backup as module

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module.os, "replace", full_disk)
    with pytest.raises(BackupError, match="磁盘空间不足"):
        backup(demo_url, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_cli_backup_and_restore(demo_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WXZJ_DATA_DIR", str(tmp_path / "data"))
    assert main(["--database-url", demo_url, "backup", str(tmp_path / "b.db")]) == 0
    assert "已备份到" in capsys.readouterr().out
    target = f"sqlite:///{tmp_path / 'r.db'}"
    assert main(["--database-url", target, "restore", str(tmp_path / "b.db")]) == 0
    assert main(["--database-url", target, "restore", str(tmp_path / "b.db")]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["--database-url", target, "check"]) == 0
