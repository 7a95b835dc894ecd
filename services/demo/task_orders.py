"""Demo task orders in the states a clerk meets first: drafts, orders awaiting review and
withdrawn ones, made through the real services so every freeze and log row is consistent."""

from __future__ import annotations

import random
from collections import Counter

from sqlalchemy import select

from models import Identity, Organisation
from models.db import Database
from services.task_orders import drafts
from services.demo.dates import plan_dates
from services.task_orders import submit as task_order_submit
from services.identity.auth import actor_for_identity

PROJECTS = (
    ("屋面防水", "屋面", "{b}屋面防水层老化渗漏，铲除原防水层，重做SBS改性沥青防水卷材两道"),
    ("电梯", "电梯机房及轿厢", "{b}电梯曳引机、控制柜更换，轿厢装饰及层门更新"),
    ("外墙", "外墙面", "{b}外墙保温层空鼓脱落，局部拆除重做并涂刷外墙涂料"),
    ("给排水", "地下室给水泵房", "{b}二次供水泵组及管道阀门更换"),
    ("消防设施", "楼内消防系统", "{b}消火栓箱、喷淋管道及烟感报警器维修更换"),
    ("安防及门禁", "单元门", "{b}单元门禁系统及楼宇对讲更换"),
)
PLAN = ("submitted", "submitted", "withdrawn", "draft")  # per enterprise
CONTACTS = (("王芳", "13810012345"), ("李强", "13911023456"), ("赵敏", "13701034567"))


def _operators(db: Database) -> list[int]:
    """One operator identity per property enterprise, in id order."""
    with db.read() as session:
        rows = session.execute(
            select(Identity.id, Identity.organisation_id).join(Organisation, Identity.organisation_id == Organisation.id)
            .where(Organisation.kind == "enterprise", Identity.role.in_(("enterprise_operator", "enterprise_admin")))
            .order_by(Identity.role.desc(), Identity.id)).all()
    chosen: dict[int, int] = {}
    for identity_id, org_id in rows:
        chosen.setdefault(org_id, identity_id)
    return [chosen[org] for org in sorted(chosen)]


def _order(db, actor, rng: random.Random, community_id: int, contact: tuple[str, str], status: str) -> None:
    order_id = drafts.start_draft(db, actor, community_id)
    buildings = drafts.building_cards(db, actor, order_id)
    building = buildings[rng.randrange(min(2, len(buildings)))]
    category, part, content = rng.choice(PROJECTS)
    amount = rng.randrange(20_000, 300_000, 100)
    values = {"project_name": f"{building.name}{category}维修", "repair_category": category, "repair_part": part,
              "repair_content": content.format(b=building.name), "budget": str(amount * 11 // 10),
              "amount": str(amount), "method": "按建筑面积", "contact_name": contact[0],
              "contact_phone": contact[1], "contractor": "北京城建建设工程有限公司", **plan_dates()}
    for key, value in values.items():
        drafts.save_field(db, actor, order_id, key, value)
    cells = drafts.building_grid(db, actor, order_id, building.building_id).cells
    floors = sorted({c.floor for c in cells}, reverse=True)[: rng.randint(2, 6)]
    drafts.save_houses(db, actor, order_id, [c.house_id for c in cells if c.floor in floors])
    if status == "draft":
        drafts.set_step(db, actor, order_id, "grid", building.building_id)
        return
    drafts.fill_totals(db, actor, order_id, [building.building_id])
    drafts.compute_rate(db, actor, order_id)
    task_order_submit.submit(db, actor, order_id, [building.building_id])
    if status == "withdrawn":
        task_order_submit.withdraw(db, actor, [order_id])


def create_task_orders(url: str, seed: int) -> Counter:
    """Orders for each enterprise as in PLAN; returns how many of each status were made."""
    rng = random.Random(seed + 1)
    db = Database(url)
    made: Counter = Counter()
    try:
        for n, identity_id in enumerate(_operators(db)):
            actor = actor_for_identity(db, identity_id)
            communities = [c.community_id for c in drafts.community_cards(db, actor)]
            for i, status in enumerate(PLAN if communities else ()):
                _order(db, actor, rng, communities[i % len(communities)], CONTACTS[n % len(CONTACTS)], status)
                made[status] += 1
    finally:
        db.dispose()
    return made
