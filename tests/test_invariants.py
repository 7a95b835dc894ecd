"""`wxzj check`: silent and 0 on a consistent database, each kind of damage named and non-zero."""

import sqlite3

import pytest
from sqlalchemy import text

from services.review import task_orders as review

from services.task_orders import submit as task_order_submit
from services.ops.invariants import check
from tests.orders import ready_draft
from tui.cli import main

pytestmark = pytest.mark.both_backends



@pytest.fixture
def orders(demo_db, actor_of):
    """One order awaiting review and one approved."""
    qyjb, reviewer = actor_of("qyjb"), actor_of("shenhe")
    ids = []
    for _ in range(2):
        order_id, buildings = ready_draft(demo_db, qyjb, houses=12)
        task_order_submit.submit(demo_db, qyjb, order_id, buildings)
        ids.append(order_id)
    review.approve(demo_db, reviewer, ids[1], override_reason="业主已书面补充同意")
    return {"submitted": ids[0], "approved": ids[1]}


def damage(url: str, sql: str) -> None:
    """Write past the constraints, as a broken program or a hand edit would."""
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:
            for table, name in conn.execute(text(
                    "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0")).all():
                conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            conn.execute(text(sql.replace(" freeze ", ' "freeze" ')))
        engine.dispose()
        return
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    con.execute("PRAGMA ignore_check_constraints = ON")
    with con:
        con.execute(sql)
    con.close()


def test_clean_database_passes(demo_db, demo_url, orders, capsys):
    assert check(demo_db).clean
    assert main(["--database-url", demo_url, "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("检查通过：分户账") and "已提交任务单 2 张" in out


@pytest.mark.parametrize("sql,broken", [
    ("UPDATE fund_account SET balance = balance + 1 WHERE id = (SELECT min(account_id) FROM ledger_entry)",
     {"余额与账目合计不符"}),
    ("UPDATE ledger_entry SET balance_after = balance_after + 5 WHERE id = (SELECT min(id) FROM ledger_entry)",
     {"记账后余额不连续"}),
    ("UPDATE fund_account SET frozen = balance + 100 WHERE id = (SELECT min(account_id) FROM ledger_entry)",
     {"余额、冻结额或可用余额为负", "冻结额与有效冻结合计不符"}),
    ("UPDATE freeze SET status = 'released' WHERE id = (SELECT min(id) FROM freeze WHERE status = 'active')",
     {"冻结额与有效冻结合计不符", "待审核任务单的冻结与扣款不符"}),
    ("UPDATE task_order SET status = 'returned' WHERE status = 'submitted'", {"冻结不属于待审核任务单"}),
    ("UPDATE freeze SET task_order_id = (SELECT id FROM task_order WHERE status = 'submitted'), "
     "account_id = (SELECT max(id) FROM fund_account) WHERE id = (SELECT min(id) FROM freeze WHERE status = 'active')",
     {"冻结额与有效冻结合计不符", "待审核任务单的冻结与扣款不符", "冻结没有对应的分摊明细"}),
    ("DELETE FROM ledger_entry WHERE id = (SELECT max(id) FROM ledger_entry WHERE kind = 'withdrawal')",
     {"余额与账目合计不符", "审核通过任务单的支取与扣款不符（逐户）", "审核通过任务单的支取与扣款不符（合计）"}),
    ("UPDATE task_order SET status = 'cancelled' WHERE status = 'approved'", {"支取不属于审核通过的任务单"}),
])
def test_each_kind_of_damage_is_named(demo_db, demo_url, orders, capsys, sql, broken):
    damage(demo_url, sql)
    report = check(demo_db)
    assert {title for title, _, _ in report.problems} == broken
    assert main(["--database-url", demo_url, "check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("检查发现问题") and all(f"【{title}】" in out for title in broken)
    assert f"共 {len(broken)} 类问题" in out


def test_many_problems_are_sampled(demo_db, demo_url, orders):
    damage(demo_url, "UPDATE fund_account SET balance = balance + 1")
    (title, samples, more), = check(demo_db).problems
    assert title == "余额与账目合计不符" and len(samples) == 20 and more
    assert "……（仅列出前 20 处）" in "\n".join(check(demo_db).lines())


def test_check_refuses_a_missing_database(tmp_path, capsys):
    assert main(["--database-url", f"sqlite:///{tmp_path / 'none.db'}", "check"]) == 2
    assert "数据库文件不存在" in capsys.readouterr().err


def test_check_works_on_a_read_only_database(demo_db, demo_url, orders, capsys, monkeypatch, backend):
    if backend != "sqlite":
        pytest.skip("file permissions are SQLite's")
    path = demo_url.removeprefix("sqlite:///")
    demo_db.dispose()
    import os

    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)  # root ignores chmod
    assert main(["--database-url", demo_url, "check"]) == 0
    assert capsys.readouterr().out.startswith("检查通过")
    # and it opened the file read-only: nothing it runs could write
    from models.db import Database
    from tui.startup import read_only_url

    ro = Database(read_only_url(demo_url))
    with pytest.raises(Exception, match="readonly"):
        with ro.write() as s:
            s.execute(text("UPDATE fund_account SET balance = balance"))
    ro.dispose()
    assert os.path.exists(path)
