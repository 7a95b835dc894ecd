"""Figures of the task-order rules: apportioning a big scope, and submitting a big order."""

from __future__ import annotations

import random
import statistics
import time

from bench.figures import Run, produces

APPORTION_HOUSES = 100_000
SUBMIT_HOUSES = 5_000
REPEATS = 5


@produces(("apportion_100k_s", "s", f"median of {REPEATS} apportionments by area of a fixed amount over "
                                    f"{APPORTION_HOUSES:,} houses listed in random order; target ≤ 0.3"))
def apportion_figures(run: Run) -> dict[str, float]:
    from services.task_orders.apportion import HouseWeight, apportion, house_order_key

    rng = random.Random(7)
    houses = [HouseWeight(i, house_order_key(i // 2000, 1 + i % 4, 1 + (i // 4) % 100, 1 + i % 12),
                          rng.randint(4_000, 18_000)) for i in range(APPORTION_HOUSES)]
    rng.shuffle(houses)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        apportion(987_654_321, houses)
        times.append(time.perf_counter() - started)
    return {"apportion_100k_s": statistics.median(times)}


def build_estate(url: str) -> None:
    """One community of ten 500-house buildings, its enterprise and an operator, in bulk."""
    from sqlalchemy import create_engine, insert

    from models import (Association, Building, Community, District, FundAccount, House, Identity, Organisation,
                        Owner, User)
    from services.identity.passwords import hash_password

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(District), [{"id": 1, "code": "110105", "name": "朝阳区", "city": "北京市"}])
        conn.execute(insert(Organisation), [
            {"id": 1, "kind": "developer", "name": "开发企业", "credit_code": "911101050000000001"},
            {"id": 2, "kind": "enterprise", "name": "物业企业", "credit_code": "911101050000000002"}])
        conn.execute(insert(Community), [{"id": 1, "code": "C1", "name": "测试小区", "district_id": 1,
                                          "developer_id": 1, "address": "测试路1号"}])
        conn.execute(insert(Association), [{"enterprise_id": 2, "community_id": 1, "status": "approved"}])
        conn.execute(insert(User), [{"id": 1, "username": "bench", "real_name": "测试",
                                     "password_hash": hash_password("Bench1234")}])
        conn.execute(insert(Identity), [{"user_id": 1, "organisation_id": 2, "role": "enterprise_operator"}])
        conn.execute(insert(Building), [{"id": b, "community_id": 1, "name": f"{b}号楼", "units": 5,
                                         "floors_above": 25} for b in range(1, 11)])
        conn.execute(insert(Owner), [{"id": h, "name": f"业主{h}", "id_type": "身份证", "id_no": str(h)}
                                     for h in range(1, SUBMIT_HOUSES + 1)])
        conn.execute(insert(House), [
            {"id": h, "building_id": 1 + (h - 1) // 500, "unit": 1 + (h - 1) % 5, "floor": 1 + ((h - 1) % 500) // 20,
             "room": 1 + ((h - 1) // 5) % 4, "room_no": str(h), "area": 8_000 + h % 5_000, "owner_id": h}
            for h in range(1, SUBMIT_HOUSES + 1)])
        conn.execute(insert(FundAccount), [{"house_id": h, "account_no": f"A{h}", "balance": (h % 97) * 10_000}
                                           for h in range(1, SUBMIT_HOUSES + 1)])
    engine.dispose()


def ready_order(db, actor, buildings: list[int]) -> int:
    """A draft over every house of `build_estate`, filled and totalled, ready to submit."""
    from services.demo.dates import plan_dates
    from services.task_orders import drafts

    order_id = drafts.start_draft(db, actor, 1)
    for key, value in {"project_name": "外墙维修", "repair_category": "外墙", "repair_part": "外墙",
                       "repair_content": "外墙保温修复", "budget": "3000000", "amount": "2500000",
                       "contact_name": "王芳", "contact_phone": "13812345678", **plan_dates()}.items():
        drafts.save_field(db, actor, order_id, key, value)
    drafts.save_houses(db, actor, order_id, list(range(1, SUBMIT_HOUSES + 1)))
    drafts.fill_totals(db, actor, order_id, buildings)
    drafts.compute_rate(db, actor, order_id)
    return order_id


@produces(("submit_5k_s", "s", f"median of 3 submissions of a {SUBMIT_HOUSES:,}-house order on SQLite "
                               "(apportionment, line snapshot, freezes, number, business log); target ≤ 1.5"))
def submit_figures(run: Run) -> dict[str, float]:
    from models.db import Database
    from models.migrate import upgrade
    from services.identity import auth
    from services.task_orders import submit as task_order_submit

    url = f"sqlite:///{run.workdir / 'submit.db'}"
    upgrade(url)
    build_estate(url)
    db = Database(url)
    actor = auth.actor_for_identity(db, 1)
    buildings = list(range(1, 11))
    times = []
    for _ in range(3):
        order_id = ready_order(db, actor, buildings)
        started = time.perf_counter()
        task_order_submit.submit(db, actor, order_id, buildings)
        times.append(time.perf_counter() - started)
    db.dispose()
    return {"submit_5k_s": statistics.median(times)}
