"""One line order (building order, unit, floor, room) for the confirmation, 到户支取详细信息, review,
consent entry and the signature sheet — also when building names sort differently as text (10号楼 < 1号楼)."""

from __future__ import annotations

from sqlalchemy import select

from models import Building, Community, FundAccount, House, Owner
from services.printing import documents as printing
from services.review import consent
from services.review import task_orders as review
from services.task_orders import drafts, queries, submit
from tests.orders import ready_draft
from tests.pdf_text import pdf_text

BUILDINGS = 13


def _grow_to(db, community_name: str, count: int) -> None:
    """Give the community buildings up to `count`号楼, two houses each, with owners of their own."""
    with db.write() as s:
        community = s.execute(select(Community).where(Community.name == community_name)).scalar_one()
        have = s.execute(select(Building).where(Building.community_id == community.id)).scalars().all()
        for n in range(len(have) + 1, count + 1):
            building = Building(community_id=community.id, name=f"{n}号楼", sort_key=n, units=1, floors_above=1)
            s.add(building)
            s.flush()
            for room in (1, 2):
                owner = Owner(name=f"业主{n:02d}{room}", id_type="身份证", id_no=f"LINEORDER{n:02d}{room}")
                s.add(owner)
                s.flush()
                house = House(building_id=building.id, unit=1, floor=1, room=room, room_no=f"10{room}", area=9000,
                              owner_id=owner.id)
                s.add(house)
                s.flush()
                s.add(FundAccount(house_id=house.id, account_no=f"LO{house.id:010d}"))


def _position(line) -> tuple:
    return line.building, line.unit, line.floor, line.room_no, line.owner


def test_every_view_and_the_signature_sheet_list_the_lines_in_building_order(demo_db, actor_of):
    clerk = actor_of("qyjb")
    community = drafts.community_cards(demo_db, clerk)[0]
    _grow_to(demo_db, community.name, BUILDINGS)
    order_id, building_ids = ready_draft(demo_db, clerk, buildings=BUILDINGS, houses=2, amount="100")
    assert len(building_ids) == BUILDINGS
    confirmation = submit.preview(demo_db, clerk, order_id, building_ids)
    submit.submit(demo_db, clerk, order_id, building_ids)

    shown = [_position(x) for x in confirmation.lines]
    buildings = list(dict.fromkeys(b for b, *_ in shown))
    assert buildings == [f"{n}号楼" for n in range(1, BUILDINGS + 1)]  # not 1, 10, 11, 12, 13, 2 …
    _, consent_lines, _ = consent.consent_sheet(demo_db, clerk, order_id)
    assert [_position(x) for x in consent_lines] == shown
    assert [_position(x) for x in queries.order_lines(demo_db, clerk, order_id)] == shown
    detail = review.review_detail(demo_db, actor_of("shenhe"), order_id)
    assert [_position(x) for x in detail.lines] == shown

    # The clerk keys the votes from the signed sheet: its rows come in the consent screen's order.
    text = pdf_text(printing.print_document(demo_db, clerk, "sign-sheet", order_id).pdf_bytes)
    cursor = 0
    for number, line in enumerate(consent_lines, start=1):
        row = f"{number}{line.room_no}{''.join(line.owner.split())}"
        found = text.find(row, cursor)
        assert found >= 0, f"row {number} ({line.building} {line.room_no}) is not next on the sheet"
        cursor = found + len(row)
