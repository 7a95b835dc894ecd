import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from models import AuditEntry, BusinessLog, FundAccount
from models.migrate import head_revision, revision_chain, upgrade
from models.schema import HEAD_REVISION, REVISIONS, current_revision
from services.core.business_log import record_action, verify_audit_chain
from services.core.numbers import next_number
from tui.startup import check_database


def test_head_revision_constant_matches_alembic():
    assert HEAD_REVISION == head_revision()
    assert REVISIONS == revision_chain()  # one unbranched chain, listed in order in models/schema.py


def test_migration_up_from_empty(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert check_database(url).startswith("数据库文件不存在")
    sqlite3.connect(tmp_path / "x.db").close()
    assert "尚未建立表结构" in check_database(url)
    upgrade(url)
    assert current_revision(url) == HEAD_REVISION
    assert check_database(url) is None
    tables = {r[0] for r in sqlite3.connect(tmp_path / "x.db").execute("SELECT name FROM sqlite_master")}
    assert {"organisation", "user_account", "identity", "house", "fund_account", "task_order_line",
            "business_log", "audit_entry", "printed_document", "attachment"} <= tables


def test_schema_behind_or_ahead_is_refused(db_url):
    path = db_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0000'")
    con.commit()
    assert check_database(db_url) == (f"数据库结构版本 0000 落后于程序所需的 {HEAD_REVISION}，"
                                      "请运行 wxzj db upgrade 升级数据库")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    assert "请升级 wxzj 程序" in check_database(db_url)
    for older in REVISIONS[:-1]:
        con.execute("UPDATE alembic_version SET version_num = ?", (older,))
        con.commit()
        assert "落后于程序所需的" in check_database(db_url)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_refused(db_url):
    path = Path(db_url.removeprefix("sqlite:///"))
    path.chmod(stat.S_IRUSR)
    assert check_database(db_url).startswith("数据库文件只读")


def test_sqlite_pragmas(db):
    with db.read() as s:
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_foreign_keys_and_balance_checks_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.add(FundAccount(house_id=12345, account_no="X1"))
    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.execute(text("INSERT INTO fund_account (house_id, account_no, balance, frozen, opened_at, version) "
                           "VALUES (NULL, 'X2', -1, 0, '2026-01-01', 1)"))


def test_numbers_are_sequential_per_day_and_prefix(db):
    with db.write() as s:
        a, b = next_number(s, "serial"), next_number(s, "serial")
        c = next_number(s, "task_order")
    assert a[:2] == "LS" and int(b[-6:]) == int(a[-6:]) + 1 and c.startswith("WX") and c.endswith("000001")


def test_record_action_rolls_back_with_the_caller(db, build):
    org = build.organisation()
    with pytest.raises(RuntimeError):
        with db.write() as s:
            record_action(s, None, "测试业务", organisation_id=org.id)
            raise RuntimeError("the business action failed")
    with db.read() as s:
        assert s.execute(select(BusinessLog)).first() is None
        assert s.execute(select(AuditEntry)).first() is None


def test_audit_chain_detects_tampering(db, build):
    org = build.organisation()
    for n in range(3):
        with db.write() as s:
            record_action(s, None, f"业务{n}", organisation_id=org.id)
    with db.read() as s:
        assert verify_audit_chain(s) == []
    with db.write() as s:
        s.execute(text("UPDATE audit_entry SET detail = '{}' WHERE id = 2"))
    with db.read() as s:
        assert verify_audit_chain(s) == [2]


def test_read_only_message_even_as_root(db_url, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: mode != os.W_OK)
    assert check_database(db_url).startswith("数据库文件只读")
