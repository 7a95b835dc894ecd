"""One simulated clerk (or reviewer) of the load bench, run as its own process:

    python -m bench.load_clerk URL ROLE USERNAME INDEX ROUNDS [THINK_S SECONDS]

It takes the account's identity (no login: see _actor), prints "ready", waits for a line on stdin (so all of
them start together), works through the services and prints one JSON list of [action, milliseconds, ok] at the
end. A clerk: list its orders, open one, fill a draft (form fields, houses, totals), submit it, print its task
order. A reviewer: list the queue, open the oldest order, approve it.

With THINK_S 0 (the stress mix) it works ROUNDS rounds back to back. With THINK_S > 0 (the think-time mix,
bench.load_figures says why) it thinks before every action, a time drawn from a log-normal distribution of
median THINK_S (not counted in the action's latency), and starts no new action once SECONDS have passed since
the start; ROUNDS is then only an upper bound.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time

from sqlalchemy.exc import OperationalError

from models.db import Database
from services.core.errors import ServiceError
from services.demo.dates import plan_dates
from services.identity import auth
from services.printing import documents as printing
from services.review import task_orders as review
from services.task_orders import drafts, queries
from services.task_orders import submit as task_order_submit

FORM = {"project_name": "屋面防水维修", "repair_category": "屋面防水", "repair_part": "屋面",
        "repair_content": "更换防水卷材", "budget": "20000", "amount": "12000", "method": "按建筑面积",
        "contact_name": "王芳", "contact_phone": "13812345678"}
HOUSES = 24
THINK_SIGMA = 0.8  # of the log-normal think time: 5th percentile median/3.7, 95th median×3.7
THINK_CAP = 6  # longest think, in medians (a clerk called away is not in the mix)


class Stop(Exception):
    """The think-time mix's time is up: no new action starts."""


class Timer:
    def __init__(self, think_s: float = 0.0, seconds: float = math.inf, seed: int = 0) -> None:
        self.samples: list[tuple[str, float, bool]] = []
        self.think_s, self.random = think_s, random.Random(seed)
        self.deadline = time.monotonic() + seconds
        if think_s:  # clerks do not all start at the same moment: each begins somewhere in its first think
            time.sleep(self.random.uniform(0, 2 * think_s))

    def think(self) -> None:
        if self.think_s:
            pause = min(self.random.lognormvariate(math.log(self.think_s), THINK_SIGMA), THINK_CAP * self.think_s)
            time.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))
        if time.monotonic() >= self.deadline:
            raise Stop

    def __call__(self, action: str, work):
        self.think()
        started = time.perf_counter()
        try:
            result = work()
        except (ServiceError, OperationalError):  # a refusal under load (an order someone else just decided,
            # or a database still busy after its timeout): counted as a failed action, and the clerk goes on
            self.samples.append((action, (time.perf_counter() - started) * 1000, False))
            return None
        self.samples.append((action, (time.perf_counter() - started) * 1000, True))
        return result


def clerk_round(db, actor, index: int, timed: Timer) -> None:
    rows = timed("list", lambda: queries.list_orders(db, actor, "applied"))
    if rows:
        timed("open", lambda: queries.order_detail(db, actor, rows[index % len(rows)].order_id))
    communities = drafts.community_cards(db, actor)
    community = communities[index % len(communities)]

    def edit() -> tuple[int, list[int]]:
        order_id = drafts.start_draft(db, actor, community.community_id)
        for key, value in {**FORM, **plan_dates()}.items():  # the plan dates are required
            drafts.save_field(db, actor, order_id, key, value)
        cards = drafts.building_cards(db, actor, order_id)
        building = cards[index % len(cards)].building_id
        cells = drafts.building_grid(db, actor, order_id, building).cells
        start = (index * HOUSES) % max(1, len(cells) - HOUSES)
        drafts.save_houses(db, actor, order_id, [c.house_id for c in cells[start:start + HOUSES]])
        drafts.fill_totals(db, actor, order_id, [building])
        drafts.compute_rate(db, actor, order_id)
        return order_id, [building]

    draft = timed("edit", edit)
    if draft is None:
        return
    if timed("submit", lambda: task_order_submit.submit(db, actor, *draft)) is not None:
        timed("print", lambda: printing.print_document(db, actor, "task-order", draft[0]))


def reviewer_round(db, actor, timed: Timer) -> None:
    found = timed("queue", lambda: review.queue(db, actor))
    if not found or not found[0]:
        return
    order_id = found[0][0].order_id
    timed("review_open", lambda: review.review_detail(db, actor, order_id))
    timed("approve", lambda: review.approve(db, actor, order_id, override_reason="演示：业主已书面补充同意"))


def _actor(db, username: str):
    """The account's first identity, without a login: the bench measures the business mix, and N
    simultaneous logins of one account would trip the lockout, which counts each try before its password
    is checked (services.identity.auth, B5), or wait out SQLite's login busy time."""
    from sqlalchemy import select

    from models import Identity, User

    with db.read() as session:
        identity_id = session.execute(
            select(Identity.id).join(User, User.id == Identity.user_id).where(User.username == username)
            .order_by(Identity.id)).scalars().first()
    return auth.actor_for_identity(db, identity_id)


def main(argv: list[str]) -> int:
    url, role, username, index, rounds = argv[0], argv[1], argv[2], int(argv[3]), int(argv[4])
    think_s, seconds = (float(argv[5]), float(argv[6])) if len(argv) > 6 else (0.0, math.inf)
    db = Database(url)
    actor = _actor(db, username)
    print("ready", flush=True)
    sys.stdin.readline()
    timed = Timer(think_s, seconds, seed=index)
    try:
        for _ in range(rounds):
            if role == "reviewer":
                reviewer_round(db, actor, timed)
            else:
                clerk_round(db, actor, index, timed)
    except Stop:
        pass
    db.dispose()
    print(json.dumps(timed.samples), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
