"""Run in separate OS processes by the review reliability tests: random business against one SQLite file,
and an approval that is killed in the middle of its transaction."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

ENTERPRISE_USERS = ("qyjb", "qyadmin")


def _actor(db, username: str):
    from services.identity import auth
    from services.demo.accounts import DEMO_PASSWORD

    result = auth.authenticate(db, username, DEMO_PASSWORD)
    return auth.enter(db, result, result.identities[0].identity_id)


def random_business(url: str, seed: int, rounds: int, start_at: float) -> tuple[list[str], Counter]:
    """Submit, approve, return and withdraw at random; a decision that lost a race to another process is
    refused by the services (ServiceError) and counted, anything else fails the test.
    Returns the application numbers this process submitted and what it did."""
    from models.db import Database
    from services.review import task_orders as review
    from services.task_orders import queries as task_order_queries
    from services.task_orders import submit as task_order_submit
    from services.core.errors import ServiceError
    from tests.orders import ready_draft

    rng = random.Random(seed)
    db = Database(url)
    enterprise = _actor(db, ENTERPRISE_USERS[seed % 2])
    reviewer = _actor(db, "shenhe")
    numbers: list[str] = []
    done: Counter = Counter()
    time.sleep(max(0.0, start_at - time.time()))
    try:
        for _ in range(rounds):
            action = rng.choice(("submit", "submit", "approve", "return", "withdraw"))
            try:
                if action == "submit":
                    amount = str(rng.randrange(50_000, 400_000))
                    order_id, buildings = ready_draft(db, enterprise, community_index=rng.randrange(2),
                                                      houses=rng.randint(3, 25), budget=amount, amount=amount)
                    numbers.append(task_order_submit.submit(db, enterprise, order_id, buildings).application_no)
                else:
                    waiting = [r.order_id for r in review.queue(db, reviewer)[0]]
                    if not waiting:
                        done["idle"] += 1
                        continue
                    order_id = rng.choice(waiting)
                    if action == "approve":
                        review.approve(db, reviewer, order_id, override_reason="业主已书面补充同意")
                    elif action == "return":
                        review.return_order(db, reviewer, order_id, "并发测试退回")
                    else:
                        mine = {r.order_id for r in task_order_queries.list_orders(db, enterprise)}
                        if order_id not in mine:
                            done["idle"] += 1
                            continue
                        task_order_submit.withdraw(db, enterprise, [order_id])
                done[action] += 1
            except ServiceError:
                done[f"{action} refused"] += 1
    finally:
        db.dispose()
    return numbers, done


def approve_until_killed(url: str, order_id: int, ready: str) -> None:
    """Approve, but stop inside the transaction just before it commits — every withdrawal posted, the order
    marked approved — report how many withdrawals the transaction holds, and wait to be killed."""
    from sqlalchemy import func, select

    import services.review.task_orders
    from models import LedgerEntry
    from models.db import Database

    def stall(session, *args, **kwargs):
        posted = session.execute(select(func.count()).where(LedgerEntry.task_order_id == order_id)).scalar_one()
        Path(ready).write_text(str(posted))
        time.sleep(300)

    services.review.task_orders.record_action = stall
    db = Database(url)
    services.review.task_orders.approve(db, _actor(db, "shenhe"), order_id, override_reason="业主已书面补充同意")
