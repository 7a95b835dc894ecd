"""C9/C10: `wxzj print` acts as a named user with that user's permissions; storage faults are one line."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy import func, select, update

from models import BusinessLog, Identity, PrintedDocument, User
from services.demo.accounts import DEMO_PASSWORD
from services.task_orders import submit
from tests.orders import ready_draft
from tui.cli import main

pytestmark = pytest.mark.both_backends


@pytest.fixture
def number(demo_db, actor_of):
    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=4)
    return submit.submit(demo_db, clerk, order_id, buildings).application_no


@pytest.fixture
def run(demo_url, tmp_path, monkeypatch):
    monkeypatch.setenv("WXZJ_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "out" / "task.pdf"
    out.parent.mkdir()

    def run_(number: str, user: str, *extra: str) -> int:
        return main(["--database-url", demo_url, "print", "task-order", number, "-o", str(out), "--user", user,
                     *extra])

    run_.out = out
    return run_


def _prints(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(PrintedDocument)).scalar_one()


def test_prints_as_the_named_user(demo_db, number, run, capsys):
    assert run(number, "qyadmin") == 0
    with demo_db.read() as s:
        doc = s.execute(select(PrintedDocument)).scalar_one()
        printer = s.execute(select(User.username).where(User.id == doc.printed_by)).scalar_one()
        log = s.execute(select(BusinessLog).where(BusinessLog.business_type == "打印单据")).scalar_one()
    assert printer == "qyadmin" and log.channel == "命令行" and log.user_id == doc.printed_by


def test_another_units_user_is_refused_clearly(demo_db, number, run, capsys):
    assert run(number, "shenhe") == 2
    err = capsys.readouterr().err
    assert "无权打印" in err and "Traceback" not in err
    assert _prints(demo_db) == 0 and not run.out.exists()


def test_wrong_password_and_disabled_users_are_refused(demo_db, number, run, capsys, monkeypatch):
    monkeypatch.setenv("WXZJ_PASSWORD", "not-the-password1")
    assert run(number, "qyjb") == 2
    assert "用户名或密码错误" in capsys.readouterr().err
    monkeypatch.setenv("WXZJ_PASSWORD", DEMO_PASSWORD)
    with demo_db.write() as s:
        s.execute(update(User).where(User.username == "qyjb").values(status="disabled"))
    assert run(number, "qyjb") == 2
    assert "账户已停用" in capsys.readouterr().err
    with demo_db.write() as s:
        s.execute(update(User).where(User.username == "qyjb").values(status="active"))
        uid = s.execute(select(User.id).where(User.username == "qyjb")).scalar_one()
        s.execute(update(Identity).where(Identity.user_id == uid).values(status="disabled"))
    assert run(number, "qyjb") == 2  # used to die with a bare StopIteration
    err = capsys.readouterr().err
    assert "没有可用的身份" in err and "Traceback" not in err
    assert _prints(demo_db) == 0


def test_without_a_terminal_the_password_must_come_from_the_environment(demo_db, number, run, capsys,
                                                                         monkeypatch):
    monkeypatch.delenv("WXZJ_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert run(number, "qyjb") == 2
    assert "WXZJ_PASSWORD" in capsys.readouterr().err


def test_a_full_disk_records_no_print_without_its_file(demo_db, number, run, capsys, monkeypatch):
    import os

    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert run(number, "qyjb") == 1
    monkeypatch.setattr(os, "fsync", real_fsync)
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _prints(demo_db) == 0 and list(run.out.parent.iterdir()) == []


def test_a_database_busy_past_its_timeout_is_one_line(demo_db, demo_url, number, run, capsys, monkeypatch,
                                                      backend):
    """SQLite: another writer holds the write lock. PostgreSQL: another transaction holds a lock on the
    business log that every business action writes (lock_timeout). Either way, after the (shortened)
    timeout: one line, exit 1, nothing recorded. The holder lets go after 20 s at the latest, so a
    print that waits for it instead of timing out fails the test rather than hanging it."""
    import threading
    import time

    import models.db

    monkeypatch.setattr(models.db, "BUSY_TIMEOUT_MS", 300)
    if backend == "sqlite":
        holder = sqlite3.connect(demo_url.removeprefix("sqlite:///"), check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        release = holder.rollback
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(demo_url)
        holder = engine.connect()
        holder.begin()
        holder.execute(text("LOCK TABLE business_log IN EXCLUSIVE MODE"))
        release = holder.rollback
    timer = threading.Timer(20, release)
    timer.start()
    started = time.monotonic()
    try:
        assert run(number, "qyjb") == 1
        assert time.monotonic() - started < 15
    finally:
        timer.cancel()
        release()
        holder.close()
        if backend != "sqlite":
            engine.dispose()
    err = capsys.readouterr().err
    assert err.strip() == "wxzj: 数据库忙，请稍后重试"
    assert _prints(demo_db) == 0


def test_db_upgrade_on_a_full_disk_is_one_line(tmp_path, capsys, monkeypatch, backend):
    if backend != "sqlite":
        pytest.skip("once is enough")
    import models.migrate
    from sqlalchemy.exc import OperationalError

    def full(url, revision="head"):
        raise OperationalError("CREATE TABLE x", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(models.migrate, "upgrade", full)
    assert main(["--database-url", f"sqlite:///{tmp_path / 'new.db'}", "db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "wxzj: 磁盘空间不足，请清理磁盘后重试"


def test_a_user_with_an_authenticator_gives_the_code_too(demo_db, actor_of, number, run, capsys, monkeypatch):
    import time

    import pyotp

    from services.identity import otp

    clerk = actor_of("qyadmin")
    enrolment = otp.begin_enrolment(demo_db, clerk)
    otp.confirm_enrolment(demo_db, clerk, pyotp.TOTP(enrolment.secret).now())
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run(number, "qyadmin") == 2
    assert "WXZJ_OTP" in capsys.readouterr().err and _prints(demo_db) == 0
    monkeypatch.setenv("WXZJ_OTP", pyotp.TOTP(enrolment.secret).at(time.time() + 30))
    assert run(number, "qyadmin") == 0 and _prints(demo_db) == 1
    assert run(number, "qyadmin") == 2  # the same code again
    assert "已使用过" in capsys.readouterr().err
