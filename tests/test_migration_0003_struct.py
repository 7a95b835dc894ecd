"""Migration 0003_struct numbers the lines already stored in the one line order, in place."""

from alembic import command
from sqlalchemy import select

from models import TaskOrderLine
from models.db import Database
from models.migrate import alembic_config, upgrade
from models.schema import REVISIONS
from services.task_orders import queries, submit
from tests.orders import ready_draft


def test_lines_stored_before_the_migration_get_their_place(demo_db, demo_url, actor_of):
    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, buildings=2, houses=6)
    submit.submit(demo_db, clerk, order_id, buildings)
    shown = queries.order_lines(demo_db, clerk, order_id)
    demo_db.dispose()
    command.downgrade(alembic_config(demo_url), REVISIONS[REVISIONS.index("0003_struct") - 1])
    upgrade(demo_url)
    db = Database(demo_url)
    try:
        with db.read() as s:
            seqs = s.execute(select(TaskOrderLine.seq).where(TaskOrderLine.task_order_id == order_id)
                             .order_by(TaskOrderLine.seq)).scalars().all()
        assert seqs == list(range(1, 13))
        assert queries.order_lines(db, clerk, order_id) == shown
    finally:
        db.dispose()
