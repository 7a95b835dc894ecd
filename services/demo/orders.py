"""Demo orders after review: approved (with the owners' vote recorded, or as an emergency repair),
returned and cancelled with reasons, and one awaiting review whose vote falls short. Made through the
real services — submit, record consent, approve, return, cancel — so ledger, freezes and log agree."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from sqlalchemy import select

from models import Community, Identity, Organisation
from models.db import Database
from services.review import consent
from services.review import task_orders as review
from services.task_orders import drafts
from services.demo.dates import plan_dates
from services.task_orders import submit as task_order_submit
from services.core.actor import Actor
from services.identity.auth import actor_for_identity

RETURN_REASONS = (
    "业主签字确认表缺少部分业主签字，请补齐后重新提交",
    "维修预算未附施工单位报价明细，请补充后重新提交",
)
CANCEL_REASON = "该维修项目仍在开发企业保修期内，应由开发企业承担维修费用，不得使用维修资金"
# Enterprise 1 (the home district, reviewed by `shenhe`) gets every case; the others one approved and one returned.
HOME_PLAN = ("approved", "emergency", "returned", "cancelled", "short_vote")
OTHER_PLAN = ("approved", "returned")
STATUS_OF = {"approved": "approved", "emergency": "approved", "returned": "returned", "cancelled": "cancelled",
             "short_vote": "submitted"}
VOTES = {"a": "agree", "d": "disagree", "x": "absent"}
PROJECTS = (
    ("供暖", "室内供暖管道", "{b}供暖立管锈蚀渗漏，更换立管及阀门", False),
    ("道路及公共照明", "小区道路及路灯", "{b}周边道路破损修补，更换路灯灯具", False),
    ("电梯", "电梯", "{b}电梯钢丝绳断股、制动器失灵，紧急停用待修", True),
)


def _identities(db: Database) -> tuple[list[int], dict[int, int]]:
    """One operator identity per enterprise (enterprise order), and each district's reviewer identity."""
    with db.read() as session:
        operators = session.execute(
            select(Identity.id, Identity.organisation_id)
            .join(Organisation, Identity.organisation_id == Organisation.id)
            .where(Organisation.kind == "enterprise", Identity.role.in_(("enterprise_operator", "enterprise_admin")))
            .order_by(Identity.organisation_id, Identity.role.desc(), Identity.id)).all()
        reviewers = session.execute(
            select(Organisation.district_id, Identity.id)
            .join(Organisation, Identity.organisation_id == Organisation.id)
            .where(Identity.role == "reviewer").order_by(Identity.id)).all()
    first: dict[int, int] = {}
    for identity_id, org_id in operators:
        first.setdefault(org_id, identity_id)
    return [first[org] for org in sorted(first)], dict(reviewers)


def _district(db: Database, community_id: int) -> int:
    with db.read() as session:
        return session.get(Community, community_id).district_id


def _submit(db: Database, actor: Actor, rng: random.Random, community_id: int, emergency: bool) -> int:
    """A submitted order over the lowest few floors of one building of the community."""
    order_id = drafts.start_draft(db, actor, community_id)
    buildings = drafts.building_cards(db, actor, order_id)
    building = buildings[rng.randrange(len(buildings))]
    category, part, content, urgent = rng.choice([p for p in PROJECTS if p[3] == emergency])
    amount = rng.randrange(30_000, 200_000, 100)
    values = {"project_name": f"{building.name}{category}维修", "repair_category": category, "repair_part": part,
              "repair_content": content.format(b=building.name), "emergency": "是" if urgent else "否",
              "budget": str(amount * 6 // 5), "amount": str(amount), "method": "按建筑面积",
              "contact_name": "孙丽", "contact_phone": "13621045678", **plan_dates()}
    for key, value in values.items():
        drafts.save_field(db, actor, order_id, key, value)
    cells = drafts.building_grid(db, actor, order_id, building.building_id).cells
    # services.demo.task_orders takes the top floors; these orders should find money left to withdraw.
    floors = sorted({c.floor for c in cells if c.floor > 0})[: rng.randint(3, 6)]
    drafts.save_houses(db, actor, order_id, [c.house_id for c in cells if c.floor in floors])
    drafts.fill_totals(db, actor, order_id, [building.building_id])
    drafts.compute_rate(db, actor, order_id)
    task_order_submit.submit(db, actor, order_id, [building.building_id])
    return order_id


def _vote(db: Database, actor: Actor, order_id: int, pattern: str) -> None:
    """Record the signed owners' table line by line, cycling through `pattern`: a 同意, d 不同意,
    x 未参与, - not recorded. A fixed pattern keeps the result clear of the thresholds whatever the seed."""
    _, lines, _ = consent.consent_sheet(db, actor, order_id)
    for line, mark in zip(lines, itertools.cycle(pattern)):
        if mark != "-":
            consent.record_consent(db, actor, order_id, {line.house_id: VOTES[mark]})


def create_review_orders(url: str, seed: int) -> Counter:
    """The orders of HOME_PLAN and OTHER_PLAN; returns how many of each status were made."""
    rng = random.Random(seed + 2)
    db = Database(url)
    made: Counter = Counter()
    try:
        operators, reviewers = _identities(db)
        for index, identity_id in enumerate(operators):
            actor = actor_for_identity(db, identity_id)
            communities = [c.community_id for c in drafts.community_cards(db, actor)]
            for n, case in enumerate(HOME_PLAN if index == 0 else OTHER_PLAN):
                community_id = communities[-1 - n % len(communities)]
                order_id = _submit(db, actor, rng, community_id, emergency=case == "emergency")
                reviewer = actor_for_identity(db, reviewers[_district(db, community_id)])
                if case == "approved":
                    _vote(db, actor, order_id, "aaaaadaaaaax")
                    review.approve(db, reviewer, order_id)
                elif case == "emergency":
                    review.approve(db, reviewer, order_id)
                elif case == "returned":
                    review.return_order(db, reviewer, order_id, RETURN_REASONS[index % len(RETURN_REASONS)])
                elif case == "cancelled":
                    review.cancel_order(db, reviewer, order_id, CANCEL_REASON)
                else:
                    _vote(db, actor, order_id, "ad-x--")
                made[STATUS_OF[case]] += 1
    finally:
        db.dispose()
    return made
