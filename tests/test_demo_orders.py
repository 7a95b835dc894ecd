"""`wxzj demo` also brings orders after review: approved, returned and cancelled with reasons, consent on some."""

import sqlite3

from models.db import Database
from services.demo.build import build_demo
from services.ops.invariants import check
import pytest

pytestmark = pytest.mark.both_backends


def test_demo_has_reviewed_orders_and_a_clean_ledger(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    summary = build_demo(url, "beijing", houses=1500)
    text = "\n".join(summary.lines())
    assert "审核通过" in text and "审批退回" in text and "已撤销（管理部）" in text
    con = sqlite3.connect(tmp_path / "demo.db")
    statuses = dict(con.execute("SELECT status, count(*) FROM task_order GROUP BY status").fetchall())
    assert statuses["approved"] >= 4 and statuses["returned"] >= 3 and statuses["cancelled"] >= 1
    assert con.execute("SELECT count(*) FROM task_order WHERE status IN ('returned', 'cancelled') "
                       "AND (reason IS NULL OR reason = '')").fetchone()[0] == 0
    # Approved orders posted withdrawals; one of them an emergency repair without any vote.
    assert con.execute("SELECT count(DISTINCT task_order_id) FROM ledger_entry WHERE task_order_id IS NOT NULL"
                       ).fetchone()[0] == statuses["approved"]
    assert con.execute("SELECT count(*) FROM task_order WHERE status = 'approved' AND emergency").fetchone()[0] >= 1
    voted = con.execute("SELECT o.status, count(DISTINCT o.id) FROM owner_consent c JOIN task_order o "
                        "ON o.id = c.task_order_id GROUP BY o.status").fetchall()
    assert dict(voted).keys() == {"approved", "submitted"}
    db = Database(url)
    try:
        assert check(db).clean
    finally:
        db.dispose()
