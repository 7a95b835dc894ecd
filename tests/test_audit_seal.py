"""C12: `wxzj check` verifies the audit trail against its sealed head, and the money of the lines."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models import AuditEntry, AuditHead
from services.core import audit_seal
from services.core.business_log import GENESIS_HASH, _entry_hash, record_action
from services.core.errors import ServiceError
from services.ops.invariants import check
from tests.orders import ready_draft
from services.task_orders import submit as task_order_submit

pytestmark = pytest.mark.both_backends


@pytest.fixture
def trail(db, build):
    org = build.organisation()
    for n in range(6):
        with db.write() as s:
            record_action(s, None, f"业务{n}", organisation_id=org.id)
    assert check(db).clean
    return org


def _titles(db) -> set[str]:
    return {title for title, _, _ in check(db).problems}


def _recompute_chain(db) -> None:
    """What someone with write access but without the key can do: rebuild every hash."""
    with db.write() as s:
        prev = GENESIS_HASH
        for entry in s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all():
            entry.prev_hash = prev
            entry.hash = _entry_hash(prev, entry)
            prev = entry.hash


def test_an_edited_entry_breaks_the_chain(db, trail):
    with db.write() as s:
        s.execute(text("UPDATE audit_entry SET detail = '{}' WHERE id = 3"))
    assert "审计记录链断裂（记录被改写或删除）" in _titles(db)


def test_a_deleted_last_entry_is_noticed(db, trail):
    with db.write() as s:
        s.execute(text("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
    report = check(db)
    assert not report.clean
    assert "审计链头与审计记录不符" in {t for t, _, _ in report.problems}
    assert any("末尾的记录被删除" in line for line in report.lines())


def test_a_deleted_middle_entry_is_noticed(db, trail):
    with db.write() as s:
        s.execute(text("DELETE FROM audit_entry WHERE id = 3"))
    assert {"审计记录链断裂（记录被改写或删除）", "审计链头与审计记录不符"} <= _titles(db)


def test_an_edit_with_the_chain_recomputed_is_noticed(db, trail):
    with db.write() as s:
        s.execute(text("UPDATE audit_entry SET detail = '{\"forged\": 1}' WHERE id = 2"))
    _recompute_chain(db)
    assert "审计链头与审计记录不符" in _titles(db)
    # moving the head along without the key does not help either
    with db.write() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
        head = s.get(AuditHead, 1)
        head.last_hash = last.hash
    report = check(db)
    assert any("签名无效" in line for line in report.lines())


def test_appends_after_a_deleted_tail_still_show_the_gap(db, trail):
    with db.write() as s:
        s.execute(text("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
    with db.write() as s:
        record_action(s, None, "之后的业务", organisation_id=trail.id)
    assert "审计记录链断裂（记录被改写或删除）" in _titles(db)


def test_a_missing_key_stops_business_rather_than_sealing_anew(db, trail, tmp_path, monkeypatch):
    monkeypatch.setenv("WXZJ_AUDIT_KEY_FILE", str(tmp_path / "gone.key"))
    with pytest.raises(ServiceError, match="审计密钥"):
        with db.write() as s:
            record_action(s, None, "业务", organisation_id=trail.id)
    assert any("找不到审计密钥文件" in line for line in check(db).lines())


def test_the_key_lives_beside_the_sqlite_file(db, db_url, backend, monkeypatch, build):
    if backend != "sqlite":
        pytest.skip("the data directory holds it for a server database")
    monkeypatch.delenv("WXZJ_AUDIT_KEY_FILE")
    org = build.organisation()
    with db.write() as s:
        record_action(s, None, "业务", organisation_id=org.id)
        path = audit_seal.key_path(s)
    assert path.parent == __import__("pathlib").Path(db_url.removeprefix("sqlite:///")).parent
    assert path.stat().st_mode & 0o077 == 0 and len(bytes.fromhex(path.read_text())) == 32
    assert check(db).clean


def test_an_edited_share_and_a_changed_amount_are_noticed(demo_db, actor_of):
    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=6)
    task_order_submit.submit(demo_db, clerk, order_id, buildings)
    assert check(demo_db).clean
    with demo_db.write() as s:
        s.execute(text("UPDATE task_order SET amount_fen = amount_fen + 100 WHERE id = :id"), {"id": order_id})
    assert "任务单申请支取金额与分摊明细合计不符" in _titles(demo_db)
    with demo_db.write() as s:
        s.execute(text("UPDATE task_order SET amount_fen = amount_fen - 100 WHERE id = :id"), {"id": order_id})
        # a share moved from one house to another keeps the total but not the line
        first, second = s.execute(text("SELECT id FROM task_order_line WHERE task_order_id = :id ORDER BY id LIMIT 2"),
                                  {"id": order_id}).scalars().all()
    from tests.test_invariants import damage

    url = demo_db.url
    damage(url, f"UPDATE task_order_line SET share = share + 7 WHERE id = {first}")
    damage(url, f"UPDATE task_order_line SET share = share - 7 WHERE id = {second}")
    assert "分摊明细的扣款与欠款之和不等于分摊金额" in _titles(demo_db)
