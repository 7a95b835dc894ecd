"""`wxzj doctor` on the key file outside the database (audit seal, 动态口令 secrets): missing where the database
needs it, unreadable, readable by everyone, or another server's key — each named with what to do."""

from __future__ import annotations

import os
import secrets

import pytest

from services.identity import auth
from services.ops.keys import key_file_problem
from tests.builders import PASSWORD
from tui.cli_ops import doctor_checks
from tui.config import Config


@pytest.fixture
def key(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "audit.key"
    monkeypatch.setenv("WXZJ_AUDIT_KEY_FILE", str(path))
    return path


def business(db, build) -> None:
    """A login: its business-log row moves the sealed audit head, which makes the key file if there is none."""
    org = build.organisation()
    build.user("clerk", roles=(("enterprise_operator", org.id),))
    result = auth.authenticate(db, "clerk", PASSWORD)
    auth.enter(db, result, result.identities[0].identity_id)


def test_a_new_database_needs_no_key_yet(db_url, key):
    assert not key.exists()
    assert key_file_problem(db_url) is None


def test_the_key_the_database_was_sealed_with_is_fine(db, db_url, build, key):
    business(db, build)
    assert key.exists() and key.stat().st_mode & 0o777 == 0o600
    assert key_file_problem(db_url) is None
    os.chmod(key, 0o640)  # readable by the clerks' group: as docs/deploy.md says
    assert key_file_problem(db_url) is None


def test_a_key_everyone_can_read_is_a_problem(db, db_url, build, key):
    business(db, build)
    os.chmod(key, 0o644)
    assert "chmod 640" in key_file_problem(db_url)


def test_a_missing_key_for_a_sealed_database_is_a_problem(db, db_url, build, key):
    business(db, build)
    key.unlink()
    problem = key_file_problem(db_url)
    assert "找不到" in problem and "复制" in problem and "docs/deploy.md" in problem


def test_another_server_s_key_is_named(db, db_url, build, key):
    business(db, build)
    key.write_text(secrets.token_hex(32), encoding="ascii")
    assert "不是本数据库的密钥" in key_file_problem(db_url)


def test_an_unreadable_or_garbled_key_is_a_problem(db_url, key):
    key.mkdir(parents=True)  # a directory where the file should be: unreadable even for root
    assert "无法读取" in key_file_problem(db_url)
    key.rmdir()
    key.write_text("not a key", encoding="ascii")
    assert "64 位十六进制" in key_file_problem(db_url)


def test_doctor_lists_the_check(db_url, key, tmp_path):
    found = dict(doctor_checks(Config(database_url=db_url, data_dir=tmp_path / "data"),
                               {"LANG": "C.UTF-8", "TERM": "xterm"}))
    assert found[f"审计与动态口令密钥文件（{key}）"] is None
