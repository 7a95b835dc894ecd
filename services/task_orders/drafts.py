"""新建任务单: choosing a community, the draft order, its buildings, houses and totals.

A draft is stored as the clerk works (BY-04): every field on leaving it, every batch save of
houses, and the step the clerk is on, so a dropped SSH connection loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from models import Building, Community, District, FundAccount, House, Owner, TaskOrder, TaskOrderHouse
from services.core.sql import int_sum
from services.core.actor import Actor
from services.core.business_log import audit
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound, ValidationError
from services.estate.grid_model import BuildingGrid, GridCell, HouseCardData
from services.core.money import rate_text
from services.core import versioning
from services.core.session_check import checked_read, checked_write
from services.estate.scope import community_ids, load_order, require_community
from services.task_orders.form import check_cross_fields, form_values, parse_field

STEPS = ("buildings", "grid", "confirm")


@dataclass(frozen=True)
class CommunityCard:
    community_id: int
    name: str
    district: str
    address: str
    buildings: int
    houses: int


@dataclass(frozen=True)
class BuildingCard:
    building_id: int
    name: str
    units: int
    floors_above: int
    floors_below: int
    houses: int
    saved_houses: int
    saved_area: int


@dataclass(frozen=True)
class DraftState:
    order_id: int
    community: CommunityCard
    values: dict[str, str]
    step: str
    building_id: int | None
    replaces_application_no: str | None
    version: int = 0  # sent back with each change of the form (B8)


@dataclass(frozen=True)
class DraftSummary:
    order_id: int
    community: str
    project_name: str
    updated_at: str
    saved_houses: int


def _draft(session: Session, actor: Actor, order_id: int) -> TaskOrder:
    order = load_order(session, actor, order_id, for_change=True)
    if order.status != "draft":
        raise ValidationError("该任务单已不是草稿，不能再修改")
    return order


def _touch(session: Session, order: TaskOrder, expected_version: int | None = None, *, bump: bool = True) -> None:
    """Mark a change. A change of the form compares and moves the version (B8); saving or removing
    houses does not: two clerks adding houses add up instead of overwriting each other."""
    order.updated_at = utcnow()
    if bump:
        versioning.change(order, expected_version)
    session.add(order)


# -- communities -------------------------------------------------------------------------------
def community_cards(db, actor: Actor) -> list[CommunityCard]:
    with checked_read(db, actor) as session:
        ids = community_ids(session, actor)
        if not ids:
            return []
        buildings = dict(session.execute(
            select(Building.community_id, func.count()).where(Building.community_id.in_(ids))
            .group_by(Building.community_id)).all())
        houses = dict(session.execute(
            select(Building.community_id, func.count(House.id)).join(House, House.building_id == Building.id)
            .where(Building.community_id.in_(ids)).group_by(Building.community_id)).all())
        rows = session.execute(
            select(Community, District.name).join(District, Community.district_id == District.id)
            .where(Community.id.in_(ids)).order_by(Community.name)).all()
        return [CommunityCard(c.id, c.name, district, c.address, buildings.get(c.id, 0), houses.get(c.id, 0))
                for c, district in rows]


def _community_card(session: Session, community_id: int) -> CommunityCard:
    community = session.get(Community, community_id)
    district = session.get(District, community.district_id)
    buildings = session.execute(select(func.count()).where(Building.community_id == community_id)).scalar_one()
    houses = session.execute(select(func.count(House.id)).join(Building, House.building_id == Building.id)
                             .where(Building.community_id == community_id)).scalar_one()
    return CommunityCard(community.id, community.name, district.name, community.address, buildings, houses)


# -- the draft ---------------------------------------------------------------------------------
def start_draft(db, actor: Actor, community_id: int) -> int:
    with checked_write(db, actor) as session:
        require_community(session, actor, community_id)
        order = TaskOrder(organisation_id=actor.organisation_id, community_id=community_id,
                          created_by=actor.user_id, draft_step="buildings")
        session.add(order)
        session.flush()
        audit(session, "新建任务单草稿", user_id=actor.user_id, organisation_id=actor.organisation_id,
              target=str(order.id), detail={"community_id": community_id})
        return order.id


def draft_state(db, actor: Actor, order_id: int) -> DraftState:
    with checked_read(db, actor) as session:
        order = _draft(session, actor, order_id)
        replaced = session.get(TaskOrder, order.replaces_id) if order.replaces_id else None
        return DraftState(order.id, _community_card(session, order.community_id), form_values(order),
                          order.draft_step or "buildings", order.draft_building_id,
                          replaced.application_no if replaced else None, order.version)


def open_drafts(db, actor: Actor) -> list[DraftSummary]:
    """The organisation's unfinished drafts, newest first, to be offered after a login."""
    with checked_read(db, actor) as session:
        saved = (select(TaskOrderHouse.task_order_id, func.count().label("n"))
                 .group_by(TaskOrderHouse.task_order_id).subquery())
        rows = session.execute(
            select(TaskOrder, Community.name, saved.c.n)
            .join(Community, TaskOrder.community_id == Community.id)
            .outerjoin(saved, saved.c.task_order_id == TaskOrder.id)
            .where(TaskOrder.organisation_id == actor.organisation_id, TaskOrder.status == "draft")
            .order_by(TaskOrder.updated_at.desc())
        ).all()
        allowed = set(community_ids(session, actor))
        return [DraftSummary(o.id, name, o.project_name or "（未填写项目名称）", local_text(o.updated_at), n or 0)
                for o, name, n in rows if o.community_id in allowed]


def save_field(db, actor: Actor, order_id: int, key: str, raw: str, expected_version: int | None = None) -> str:
    """Store one field as typed; returns what the field should now show. With `expected_version`
    (the version the screen read) a draft someone else changed since is refused with StaleRecord;
    after a success the draft's version is expected_version + 1."""
    column, value = parse_field(key, raw)
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        setattr(order, column, value)
        check_cross_fields(order, key)
        _touch(session, order, expected_version)
        return form_values(order)[key]


def set_step(db, actor: Actor, order_id: int, step: str, building_id: int | None = None) -> None:
    if step not in STEPS:
        raise ValidationError("未知的步骤")
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        if building_id is not None:  # only a building of the draft's own community
            _building_of_order(session, order, building_id)
        order.draft_step, order.draft_building_id = step, building_id
        session.add(order)


def discard(db, actor: Actor, order_id: int, expected_version: int | None = None) -> None:
    """撤销任务单 while creating it: the draft and its saved houses are dropped."""
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        versioning.expect(order, expected_version)
        session.execute(delete(TaskOrderHouse).where(TaskOrderHouse.task_order_id == order.id))
        order.status = "discarded"
        _touch(session, order)
        audit(session, "撤销任务单草稿", user_id=actor.user_id, organisation_id=actor.organisation_id,
              target=str(order.id))


# -- buildings and houses ----------------------------------------------------------------------
def _saved_stats(session: Session, order_id: int, building_ids=None):
    stmt = (select(House.building_id, func.count(), int_sum(House.area))
            .join(TaskOrderHouse, TaskOrderHouse.house_id == House.id)
            .where(TaskOrderHouse.task_order_id == order_id).group_by(House.building_id))
    if building_ids is not None:
        stmt = stmt.where(House.building_id.in_(building_ids))
    return {b: (n, a) for b, n, a in session.execute(stmt).all()}


def building_cards(db, actor: Actor, order_id: int) -> list[BuildingCard]:
    with checked_read(db, actor) as session:
        order = _draft(session, actor, order_id)
        counts = dict(session.execute(
            select(House.building_id, func.count()).join(Building, House.building_id == Building.id)
            .where(Building.community_id == order.community_id).group_by(House.building_id)).all())
        saved = _saved_stats(session, order.id)
        buildings = session.execute(select(Building).where(Building.community_id == order.community_id)
                                    .order_by(Building.sort_key, Building.id)).scalars()
        return [BuildingCard(b.id, b.name, b.units, b.floors_above, b.floors_below, counts.get(b.id, 0),
                             *saved.get(b.id, (0, 0))) for b in buildings]


def _building_of_order(session: Session, order: TaskOrder, building_id: int) -> Building:
    building = session.get(Building, building_id)
    if building is None or building.community_id != order.community_id:
        raise NotFound("该自然幢不属于本任务单的小区")
    return building


def building_grid(db, actor: Actor, order_id: int, building_id: int) -> BuildingGrid:
    with checked_read(db, actor) as session:
        order = _draft(session, actor, order_id)
        building = _building_of_order(session, order, building_id)
        rows = session.execute(
            select(House.id, House.unit, House.floor, House.room, House.room_no, House.use, House.area,
                   FundAccount.balance - FundAccount.frozen, TaskOrderHouse.house_id)
            .join(FundAccount, FundAccount.house_id == House.id)
            .outerjoin(TaskOrderHouse, (TaskOrderHouse.house_id == House.id)
                       & (TaskOrderHouse.task_order_id == order.id))
            .where(House.building_id == building.id)
        ).all()
        saved_n, saved_area = session.execute(
            select(func.count(), int_sum(House.area))
            .join(TaskOrderHouse, TaskOrderHouse.house_id == House.id)
            .where(TaskOrderHouse.task_order_id == order.id)).one()
    short = _short_test(order, rows, saved_n, saved_area)
    floors = sorted({r[2] for r in rows}, reverse=True)
    units: dict[int, int] = {}
    for r in rows:
        units[r[1]] = max(units.get(r[1], 0), r[3])
    cells = tuple(GridCell(r[0], r[1], r[2], r[3], r[4], r[5], r[8] is not None, short(r[6], r[7]), r[6])
                  for r in sorted(rows, key=lambda r: (-r[2], r[1], r[3])))
    return BuildingGrid(building.id, building.name, tuple(floors), tuple(sorted(units.items())), cells)


def _short_test(order: TaskOrder, rows, saved_n: int, saved_area: int):
    """Whether a house's available balance falls short of the share it would bear: against the
    saved scope when there is one, else against the whole building."""
    amount = order.amount_fen
    if not amount:
        return lambda area, available: available <= 0
    count = saved_n or len(rows)
    area_total = saved_area or sum(r[6] for r in rows) or 1
    if order.method == "household":
        return lambda area, available: available * count < amount
    return lambda area, available: available * area_total < amount * area


def _community_houses(session: Session, order: TaskOrder, house_ids: list[int]) -> list[int]:
    found = session.execute(
        select(House.id).join(Building, House.building_id == Building.id)
        .where(House.id.in_(house_ids), Building.community_id == order.community_id)).scalars().all()
    if len(found) != len(set(house_ids)):
        raise ValidationError("所选房屋不属于本任务单的小区")
    return found


def save_houses(db, actor: Actor, order_id: int, house_ids: list[int]) -> int:
    """批量保存房屋: the houses join the scope (yellow). Returns how many were newly saved."""
    if not house_ids:
        raise ValidationError("请先勾选房屋")
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        wanted = set(_community_houses(session, order, house_ids))
        already = set(session.execute(select(TaskOrderHouse.house_id).where(
            TaskOrderHouse.task_order_id == order.id, TaskOrderHouse.house_id.in_(wanted))).scalars())
        new = sorted(wanted - already)
        if new:
            session.execute(insert(TaskOrderHouse), [{"task_order_id": order.id, "house_id": h} for h in new])
        _touch(session, order, bump=False)
        return len(new)


def remove_houses(db, actor: Actor, order_id: int, house_ids: list[int]) -> int:
    """批量取消: the houses leave the scope (white). Returns how many were removed."""
    if not house_ids:
        raise ValidationError("请先勾选房屋")
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        removed = session.execute(delete(TaskOrderHouse).where(
            TaskOrderHouse.task_order_id == order.id, TaskOrderHouse.house_id.in_(house_ids))).rowcount
        _touch(session, order, bump=False)
        return removed


def house_card(db, actor: Actor, order_id: int, house_id: int) -> HouseCardData:
    with checked_read(db, actor) as session:
        order = _draft(session, actor, order_id)
        _community_houses(session, order, [house_id])
        house, building, owner, account = session.execute(
            select(House, Building, Owner, FundAccount).join(Building, House.building_id == Building.id)
            .join(Owner, House.owner_id == Owner.id).join(FundAccount, FundAccount.house_id == House.id)
            .where(House.id == house_id)).one()
        saved = session.get(TaskOrderHouse, (order.id, house_id)) is not None
        return HouseCardData(house.id, f"{building.name} {house.unit}单元 {house.room_no}", house.use, house.area,
                             owner.name, account.balance, account.frozen, account.balance - account.frozen, saved)


def scope_totals(session: Session, order: TaskOrder, building_ids: list[int]) -> tuple[int, int]:
    stats = _saved_stats(session, order.id, building_ids)
    return sum(n for n, _ in stats.values()), sum(a for _, a in stats.values())


def fill_totals(db, actor: Actor, order_id: int, building_ids: list[int],
                expected_version: int | None = None) -> dict[str, str]:
    """填入勾选房屋户数和面积: the ticked buildings' saved houses into 分摊总户数 and 分摊总面积."""
    if not building_ids:
        raise ValidationError("请先勾选自然幢", field="scope")
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        for building_id in building_ids:
            _building_of_order(session, order, building_id)
        households, area = scope_totals(session, order, building_ids)
        if households == 0:
            raise ValidationError("勾选的自然幢还没有保存的房屋，请先选择分户并批量保存房屋", field="scope")
        order.total_households, order.total_area = households, area
        _touch(session, order, expected_version)
        values = form_values(order)
        return {"total_households": values["total_households"], "total_area": values["total_area"]}


def compute_rate(db, actor: Actor, order_id: int, expected_version: int | None = None) -> str:
    """计算分摊标准: 申请支取金额 ÷ 分摊总面积, in 元/㎡."""
    with checked_write(db, actor) as session:
        order = _draft(session, actor, order_id)
        if not order.amount_fen:
            raise ValidationError("请先填写申请支取金额", field="amount")
        if not order.total_area:
            raise ValidationError("请先按【填入勾选房屋户数和面积】填入分摊总面积", field="total_area")
        order.rate_text = rate_text(order.amount_fen, order.total_area)
        _touch(session, order, expected_version)
        return order.rate_text


