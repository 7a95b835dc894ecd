"""Run in a separate OS process by the concurrency tests: submit one order and report."""

from __future__ import annotations

import time


def submit_order(url: str, username: str, order_id: int, building_ids: list[int], start_at: float):
    from models.db import Database
    from services.identity import auth
    from services.task_orders import submit as task_order_submit
    from services.demo.accounts import DEMO_PASSWORD

    db = Database(url)
    result = auth.authenticate(db, username, DEMO_PASSWORD)
    actor = auth.enter(db, result, result.identities[0].identity_id)
    time.sleep(max(0.0, start_at - time.time()))
    submitted = task_order_submit.submit(db, actor, order_id, building_ids)
    db.dispose()
    return submitted.application_no
