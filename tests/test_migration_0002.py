"""Migration 0002 upgrades a 0001 database that already holds houses, money and orders, in place."""

import sqlite3

from alembic import command

from models.db import Database
from models.migrate import alembic_config
from models.schema import HEAD_REVISION, current_revision
from services.review import consent
from services.review import task_orders as review
from services.task_orders import submit as task_order_submit
from services.ops.invariants import check
from tests.orders import ready_draft
from tui.cli import main
from tui.startup import check_database

TABLES = ("house", "owner", "fund_account", "ledger_entry", "task_order", "task_order_line", "freeze",
          "business_log", "audit_entry")


def counts(url: str) -> dict[str, int]:
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_a_0001_database_with_data_upgrades_and_works(demo_db, demo_url, actor_of, capsys):
    qyjb = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, qyjb, houses=10)
    task_order_submit.submit(demo_db, qyjb, order_id, buildings)
    demo_db.dispose()
    command.downgrade(alembic_config(demo_url), "0001")
    assert current_revision(demo_url) == "0001"
    assert f"落后于程序所需的 {HEAD_REVISION}" in check_database(demo_url)
    before = counts(demo_url)
    assert before["house"] > 1000 and before["freeze"] == 10

    assert main(["--database-url", demo_url, "db", "upgrade"]) == 0
    assert current_revision(demo_url) == HEAD_REVISION and check_database(demo_url) is None
    assert counts(demo_url) == before
    capsys.readouterr()

    db = Database(demo_url)
    try:
        assert check(db).clean
        # The order submitted before the upgrade takes consent and a decision like any other.
        _, lines, _ = consent.consent_sheet(db, qyjb, order_id)
        consent.record_consent(db, qyjb, order_id, {x.house_id: "agree" for x in lines})
        review.approve(db, actor_of("shenhe"), order_id)
        assert check(db).clean
    finally:
        db.dispose()
