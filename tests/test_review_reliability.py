"""Many OS processes on one SQLite file submit, approve, return and withdraw at random; one is killed in
the middle of an approval. Afterwards the ledger checks clean."""

import multiprocessing
import os
import signal
import time
from collections import Counter

from sqlalchemy import func, select

from models import Freeze, FundAccount, LedgerEntry, TaskOrder
from services.review import task_orders as review
from services.task_orders import submit as task_order_submit
from services.ops.invariants import check
from tests.orders import ready_draft
from tests.review_worker import approve_until_killed, random_business
import pytest

pytestmark = pytest.mark.both_backends

PROCESSES = 4
ROUNDS = 12


def test_random_business_from_several_processes_keeps_the_ledger_whole(demo_db, demo_url):
    start_at = time.time() + 3
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.starmap(random_business, [(demo_url, seed, ROUNDS, start_at) for seed in range(PROCESSES)])
    numbers = [n for got, _ in results for n in got]
    done = sum((c for _, c in results), Counter())
    assert done["submit"] >= PROCESSES and done["approve"] + done["return"] + done["withdraw"] >= 1
    assert len(numbers) == len(set(numbers))
    report = check(demo_db)
    assert report.clean, report.lines()
    with demo_db.read() as s:
        stored = s.execute(select(TaskOrder.application_no).where(TaskOrder.application_no.is_not(None))).scalars()
        assert sorted(stored) == sorted(numbers)
        assert s.execute(select(func.count()).where(
            (FundAccount.balance < 0) | (FundAccount.frozen > FundAccount.balance))).scalar_one() == 0
        statuses = Counter(s.execute(select(TaskOrder.status).where(TaskOrder.application_no.is_not(None))).scalars())
    # Every decision the services accepted happened exactly once; the refused ones left no trace.
    decided = done["approve"] + done["return"] + done["withdraw"]
    assert statuses == Counter({"approved": done["approve"], "returned": done["return"],
                                "withdrawn": done["withdraw"], "submitted": done["submit"] - decided}) - Counter()


def test_an_approval_killed_midway_leaves_nothing_behind(demo_db, demo_url, actor_of, tmp_path):
    qyjb = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, qyjb, buildings=3)
    task_order_submit.submit(demo_db, qyjb, order_id, buildings)
    with demo_db.read() as s:
        balances = dict(s.execute(select(FundAccount.id, FundAccount.balance)).all())
        frozen = s.execute(select(func.count()).where(Freeze.task_order_id == order_id)).scalar_one()
    assert frozen > 100
    ready = tmp_path / "ready"
    worker = multiprocessing.get_context("spawn").Process(
        target=approve_until_killed, args=(demo_url, order_id, str(ready)))
    worker.start()
    deadline = time.time() + 60
    while not ready.exists() and time.time() < deadline and worker.is_alive():
        time.sleep(0.05)
    posted = int(ready.read_text() or 0) if ready.exists() else 0
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()
    assert worker.exitcode == -signal.SIGKILL
    assert posted == frozen  # killed with every withdrawal written, just before the commit

    with demo_db.read() as s:
        assert s.get(TaskOrder, order_id).status == "submitted"
        assert s.execute(select(func.count()).where(LedgerEntry.task_order_id == order_id)).scalar_one() == 0
        assert set(s.execute(select(Freeze.status).where(Freeze.task_order_id == order_id)).scalars()) == {"active"}
        assert dict(s.execute(select(FundAccount.id, FundAccount.balance)).all()) == balances
    assert check(demo_db).clean

    review.approve(demo_db, actor_of("shenhe"), order_id, override_reason="业主已书面补充同意")
    with demo_db.read() as s:
        assert s.execute(select(func.count()).where(LedgerEntry.task_order_id == order_id)).scalar_one() == posted
    assert check(demo_db).clean
