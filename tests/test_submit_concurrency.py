"""Two OS processes submit overlapping orders at the same moment against one SQLite file."""

import multiprocessing
import time

from sqlalchemy import func, select

from models import Freeze, FundAccount, TaskOrderLine
from tests.concurrency_worker import submit_order
from tests.orders import ready_draft
import pytest

pytestmark = pytest.mark.both_backends


def test_overlapping_submissions_never_overdraw(demo_db, demo_url, actor_of):
    actor = actor_of("qyjb")
    orders = [ready_draft(demo_db, actor, houses=40, budget="90000000", amount="90000000") for _ in range(3)]
    start_at = time.time() + 1.5
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        numbers = pool.starmap(submit_order, [(demo_url, "qyjb", o, b, start_at) for o, b in orders])
    assert len(set(numbers)) == 3
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(FundAccount)
                         .where(FundAccount.frozen > FundAccount.balance)).scalar_one() == 0
        frozen = dict(s.execute(select(Freeze.account_id, func.sum(Freeze.amount))
                                .where(Freeze.status == "active").group_by(Freeze.account_id)).all())
        accounts = dict(s.execute(select(FundAccount.id, FundAccount.frozen).where(FundAccount.frozen > 0)).all())
        assert frozen == accounts
        deducted = s.execute(select(func.sum(TaskOrderLine.deducted))).scalar_one()
        assert deducted == sum(frozen.values())
        # The houses' whole available balance went to whichever order came first.
        per_order = s.execute(select(TaskOrderLine.task_order_id, func.sum(TaskOrderLine.deducted))
                              .group_by(TaskOrderLine.task_order_id)).all()
        assert sorted(v for _, v in per_order)[:2] == [0, 0]
