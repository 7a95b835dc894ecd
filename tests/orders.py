"""Building task orders through the services, as the screens do."""

from __future__ import annotations

from services.demo.dates import plan_dates
from services.task_orders import drafts

FORM = {
    "project_name": "1号楼屋面防水维修", "repair_category": "屋面防水", "repair_part": "屋面",
    "repair_content": "更换防水卷材", "budget": "60000", "amount": "50000", "method": "按建筑面积",
    "contact_name": "王芳", "contact_phone": "13812345678",
}


def fill_form(db, actor, order_id: int, **overrides) -> None:
    for key, value in {**FORM, **plan_dates(), **overrides}.items():
        drafts.save_field(db, actor, order_id, key, value)


def ready_draft(db, actor, *, community_index: int = 0, buildings: int = 1, houses: int | None = None,
                **overrides) -> tuple[int, list[int]]:
    """A draft with its form filled and the first houses of the first buildings saved and totalled."""
    community = drafts.community_cards(db, actor)[community_index]
    order_id = drafts.start_draft(db, actor, community.community_id)
    fill_form(db, actor, order_id, **overrides)
    building_ids = [b.building_id for b in drafts.building_cards(db, actor, order_id)[:buildings]]
    for building_id in building_ids:
        cells = drafts.building_grid(db, actor, order_id, building_id).cells
        drafts.save_houses(db, actor, order_id, [c.house_id for c in cells[:houses]])
    drafts.fill_totals(db, actor, order_id, building_ids)
    drafts.compute_rate(db, actor, order_id)
    return order_id, building_ids
