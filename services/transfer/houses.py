"""Importing houses with their owners and opening balances (BY-06).

Natural keys: a house is its building's (unit, floor, room); an owner is (ID type, ID number), so
one owner may hold several houses. A new house gets its fund account and, for a balance above zero,
an opening entry (交存, memo OPENING); a house imported again with another balance gets the
difference as an adjustment entry (交存 or 支取 without an order, memo ADJUSTMENT), so the balance
stays the sum of the entries and `wxzj check` holds. The imported balance is the sum of those two
kinds of entries: what happened to the account since (interest, withdrawals) is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import bindparam, func, insert, select, tuple_, update
from sqlmodel import Session

from models import Building, Community, FundAccount, House, LedgerEntry, Organisation, Owner
from services.core.clock import LOCAL_ZONE, utcnow
from services.identity import validators
from services.transfer import cells
from services.transfer.common import Checked, Progress, chunks, parse_rows

OPENING = "期初余额（导入）"
ADJUSTMENT = "期初余额调整（导入）"
USES = ("住宅", "商业", "办公", "车库", "储藏室", "其他")
OWNER_KINDS = {"个人": "person", "单位": "organisation"}
ORG_ID_TYPE = "统一社会信用代码"
BATCH = 10_000  # rows per INSERT … executemany

PARSERS = {
    "district": lambda v, t: cells.text(v, t, 40),
    "community": lambda v, t: cells.text(v, t, 100),
    "building": lambda v, t: cells.text(v, t, 40),
    "unit": lambda v, t: cells.integer(v, t, low=1, high=99),
    "floor": lambda v, t: cells.integer(v, t, low=-9, high=200),
    "room": lambda v, t: cells.integer(v, t, low=1, high=999),
    "room_no": lambda v, t: cells.text(v, t, 20),
    "use": lambda v, t: cells.choice(v, t, USES),
    "area": lambda v, t: cells.hundredths(v, t, positive=True),
    "owner_kind": lambda v, t: OWNER_KINDS[cells.choice(v, t, tuple(OWNER_KINDS))],
    "owner_name": lambda v, t: cells.text(v, t, 100),
    "id_type": lambda v, t: cells.choice(v, t, validators.ID_TYPES + (ORG_ID_TYPE,)),
    "id_no": lambda v, t: cells.text(v, t, 30),
    "phone": lambda v, t: cells.text(v, t, 30, required=False),
    "balance": lambda v, t: cells.hundredths(v, t, positive=False),
    "opened_on": lambda v, t: cells.day(v, t),
}


def _owner_id_no(values: dict[str, Any]) -> str:
    """The ID number through the identity validators (GB 11643 / GB 32100); CellError if wrong."""
    from services.core.errors import ValidationError

    try:
        if values["id_type"] == ORG_ID_TYPE:
            if values["owner_kind"] != "organisation":
                raise cells.CellError("个人业主的证件类型不能是统一社会信用代码")
            return validators.credit_code(values["id_no"])
        if values["owner_kind"] == "organisation":
            raise cells.CellError("单位业主的证件类型应为统一社会信用代码")
        return validators.id_number(values["id_type"], values["id_no"])
    except ValidationError as exc:
        raise cells.CellError(exc.message) from None


def _phone(value: str | None) -> str | None:
    from services.core.errors import ValidationError

    if not value:
        return None
    try:
        return validators.mobile(value) if value.startswith("1") else validators.landline(value)
    except ValidationError as exc:
        raise cells.CellError(exc.message) from None


def check(session: Session, checked: Checked, columns: dict[str, int], rows, scope: dict[str, tuple[int, str]],
          progress: Progress | None = None) -> None:
    parsed = parse_rows(checked, checked.kind, columns, rows, PARSERS, progress)
    title = {c.key: c.title for c in checked.kind.columns}
    communities = {(d, n): (i, code) for i, d, n, code in session.execute(
        select(Community.id, Community.district_id, Community.name, Community.code))}
    wanted_districts = {v[0] for v in scope.values()}
    buildings: dict[tuple[int, str], tuple[int, int]] = {}
    building_homes: dict[tuple[int, str], list[str]] = {}
    names = {i: n for (d, n), (i, _) in communities.items()}
    for b_id, c_id, name, units, district_id in session.execute(
            select(Building.id, Building.community_id, Building.name, Building.units, Community.district_id)
            .join(Community, Building.community_id == Community.id)
            .where(Community.district_id.in_(wanted_districts))):
        buildings[(c_id, name)] = (b_id, units)
        building_homes.setdefault((district_id, name), []).append(names[c_id])
    seen: dict[tuple, int] = {}
    owners_seen: dict[tuple[str, str], tuple[int, str, str]] = {}
    records = []
    for number, v in parsed:
        district = scope.get(v["district"])
        if district is None:
            checked.issue(number, title["district"], v["district"], f"区县“{v['district']}”不存在或不在您的管辖范围内")
            continue
        community = communities.get((district[0], v["community"]))
        if community is None:
            checked.issue(number, title["community"], v["community"],
                          f"{v['district']}没有小区“{v['community']}”，请先导入小区")
            continue
        building = buildings.get((community[0], v["building"]))
        if building is None:
            homes = [n for n in building_homes.get((district[0], v["building"]), []) if n != v["community"]]
            message = (f"自然幢“{v['building']}”属于小区“{homes[0]}”，不在小区“{v['community']}”中" if homes
                       else f"小区“{v['community']}”没有自然幢“{v['building']}”，请先导入自然幢")
            checked.issue(number, title["building"], v["building"], message)
            continue
        if v["floor"] == 0:
            checked.issue(number, title["floor"], 0, "层不能为0（地下层用负数，如 -1）")
            continue
        if v["unit"] > building[1]:
            checked.issue(number, title["unit"], v["unit"], f"单元超出该自然幢的单元数（{building[1]}）")
            continue
        key = (building[0], v["unit"], v["floor"], v["room"])
        if key in seen:
            checked.issue(number, title["room"], v["room"],
                          f"与第 {seen[key]} 行是同一房屋（自然幢、单元、层、室都相同）")
            continue
        try:
            id_no = _owner_id_no(v)
        except cells.CellError as exc:
            checked.issue(number, title["id_no"], v["id_no"], exc.message)
            continue
        try:
            phone = _phone(v["phone"])
        except cells.CellError as exc:
            checked.issue(number, title["phone"], v["phone"], exc.message)
            continue
        owner_key = (v["id_type"], id_no)
        first = owners_seen.setdefault(owner_key, (number, v["owner_name"], v["owner_kind"]))
        if first[1:] != (v["owner_name"], v["owner_kind"]):
            checked.issue(number, title["owner_name"], v["owner_name"],
                          f"证件号码与第 {first[0]} 行相同，但业主名称或类型不同（第 {first[0]} 行为“{first[1]}”）")
            continue
        seen[key] = number
        records.append((number, key, district[1], owner_key, v["owner_kind"], v["owner_name"], phone,
                        v["room_no"], v["use"], v["area"], v["balance"], v["opened_on"]))
    del seen, owners_seen, parsed  # before the database's side is loaded: they cost ~40 MB at 100,000 rows
    _against_database(session, checked, records, title)


def _against_database(session: Session, checked: Checked, records: list, title: dict[str, str]) -> None:
    """Which houses and owners exist, what changes, and whether each adjustment fits the account."""
    building_ids = sorted({r[1][0] for r in records})
    houses: dict[tuple, tuple] = {}
    for ids in chunks(building_ids):
        for h in session.execute(select(House.id, House.building_id, House.unit, House.floor, House.room,
                                        House.room_no, House.use, House.area, House.owner_id)
                                 .where(House.building_id.in_(ids))):
            houses[(h.building_id, h.unit, h.floor, h.room)] = (h.id, h.room_no, h.use, h.area, h.owner_id)
    owner_keys = sorted({r[3] for r in records})
    owners: dict[tuple[str, str], tuple] = {}
    for keys in chunks(owner_keys):
        for o in session.execute(select(Owner.id, Owner.id_type, Owner.id_no, Owner.name, Owner.phone, Owner.kind)
                                 .where(tuple_(Owner.id_type, Owner.id_no).in_(keys))):
            owners[(o.id_type, o.id_no)] = (o.id, o.name, o.phone, o.kind)
    house_ids = [h[0] for h in houses.values()]
    accounts: dict[int, list[int]] = {}
    for ids in chunks(house_ids):
        for a in session.execute(select(FundAccount.house_id, FundAccount.id, FundAccount.balance, FundAccount.frozen)
                                 .where(FundAccount.house_id.in_(ids))):
            accounts[a.house_id] = [a.id, a.balance, a.frozen, 0]
    by_account = {a[0]: a for a in accounts.values()}
    for ids in chunks(list(by_account)):
        for account_id, total in session.execute(
                select(LedgerEntry.account_id, func.sum(LedgerEntry.amount))
                .where(LedgerEntry.account_id.in_(ids), LedgerEntry.memo.in_((OPENING, ADJUSTMENT)))
                .group_by(LedgerEntry.account_id)):
            by_account[account_id][3] = total
    counts = checked.counts
    new_owners: set = set()
    changed_owners: set = set()
    for r in records:
        number, key, district_code, owner_key, kind, name, phone, room_no, use, area, balance, opened_on = r
        house = houses.get(key)
        owner = owners.get(owner_key)
        if owner is None:
            new_owners.add(owner_key)
        elif (owner[1], owner[2] or None, owner[3]) != (name, phone or owner[2], kind):
            counts.owners_updated += 1
            changed_owners.add(owner_key)
            owners[owner_key] = (owner[0], name, phone or owner[2], kind)
        account = accounts.get(house[0]) if house else None
        diff = balance - account[3] if account else 0
        if account and diff < 0 and account[1] + diff < account[2]:
            checked.issue(number, title["balance"], cells.shown(balance),
                          f"调整后余额低于该户已冻结的金额（冻结 {account[2] / 100:,.2f} 元），请待审核结束后再导入")
            continue
        if house is None:
            counts.added += 1
            counts.openings += balance > 0
            counts.opening_fen += balance
        else:
            changed = (house[1], house[2], house[3]) != (room_no, use, area) or owner is None or house[4] != owner[0]
            counts.updated += changed or diff != 0
            counts.unchanged += not changed and diff == 0
            counts.adjustments += diff != 0
            counts.adjustment_fen += diff
        checked.records.append((r, house, account, diff))
    counts.owners_added = len(new_owners)
    checked.lookup = {"owners": owners, "changed_owners": changed_owners}


def apply(session: Session, checked: Checked, progress: Progress | None = None) -> None:
    """Write the checked records in the caller's transaction (re-checked there first by the caller)."""
    now = utcnow()
    owners: dict[tuple[str, str], tuple] = checked.lookup["owners"]
    new_owners: dict[tuple[str, str], tuple] = {}
    for (r, house, account, diff) in checked.records:
        owner_key = r[3]
        if owner_key not in owners and owner_key not in new_owners:
            new_owners[owner_key] = (r[4], r[5], r[6])
    total = len(checked.records)
    if progress:
        progress(0, total, "正在写入业主")
    connection = session.connection()  # Core executemany: the ORM's bulk path costs twice the memory
    for batch in chunks(list(new_owners.items()), BATCH):
        connection.execute(insert(Owner.__table__), [
            {"kind": kind, "name": name, "id_type": key[0], "id_no": key[1], "phone": phone}
            for key, (kind, name, phone) in batch])
    if new_owners:
        for keys in chunks(list(new_owners)):
            for o in session.execute(select(Owner.id, Owner.id_type, Owner.id_no, Owner.name, Owner.phone, Owner.kind)
                                     .where(tuple_(Owner.id_type, Owner.id_no).in_(keys))):
                owners[(o.id_type, o.id_no)] = (o.id, o.name, o.phone, o.kind)
    changed_owners = [{"b_id": o[0], "b_name": o[1], "b_phone": o[2], "b_kind": o[3]} for k, o in owners.items()
                      if k in checked.lookup["changed_owners"]]
    if changed_owners:
        session.connection().execute(
            update(Owner.__table__).where(Owner.__table__.c.id == bindparam("b_id"))
            .values(name=bindparam("b_name"), phone=bindparam("b_phone"), kind=bindparam("b_kind")), changed_owners)
    _link_organisations(session, [k for k in new_owners if k[0] == ORG_ID_TYPE])
    if progress:
        progress(total // 4, total, "正在写入房屋")
    changed_houses = []
    new_houses = []
    for (r, house, account, diff) in checked.records:
        key, owner_id = r[1], owners[r[3]][0]
        values = {"room_no": r[7], "use": r[8], "area": r[9], "owner_id": owner_id}
        if house is None:
            new_houses.append({"building_id": key[0], "unit": key[1], "floor": key[2], "room": key[3], **values})
            if len(new_houses) == BATCH:  # parameter dicts in batches keep the memory down
                connection.execute(insert(House.__table__), new_houses)
                new_houses = []
        elif (house[1], house[2], house[3], house[4]) != (r[7], r[8], r[9], owner_id):
            changed_houses.append({"b_id": house[0], **{f"b_{k}": v for k, v in values.items()}})
    if new_houses:
        connection.execute(insert(House.__table__), new_houses)
    if changed_houses:
        table = House.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values({k: bindparam(f"b_{k}") for k in ("room_no", "use", "area", "owner_id")}), changed_houses)
    if progress:
        progress(total // 2, total, "正在写入分户账")
    _accounts(session, checked, now)
    if progress:
        progress(total, total, "正在提交")


def _stamp(opened_on: date | None, now: datetime) -> datetime:
    if opened_on is None:
        return now
    return datetime.combine(opened_on, time(8, 0), LOCAL_ZONE).astimezone(timezone.utc)


def _accounts(session: Session, checked: Checked, now: datetime) -> None:
    """Accounts and opening entries of the new houses, a few hundred buildings at a time, so that the
    id maps of 100,000 houses never exist at once."""
    by_building: dict[int, list[tuple]] = {}
    for (r, house, account, diff) in checked.records:
        if house is None:
            by_building.setdefault(r[1][0], []).append(r)
    connection = session.connection()
    for buildings in chunks(sorted(by_building), 200):
        ids = {(h.building_id, h.unit, h.floor, h.room): h.id for h in session.execute(
            select(House.id, House.building_id, House.unit, House.floor, House.room)
            .where(House.building_id.in_(buildings)))}
        fresh = [r for b in buildings for r in by_building[b]]
        connection.execute(insert(FundAccount.__table__), [
            {"house_id": ids[r[1]], "account_no": f"{r[2]}{ids[r[1]]:010d}", "balance": r[10], "frozen": 0,
             "opened_at": _stamp(r[11], now), "version": 1} for r in fresh])
        openings = [r for r in fresh if r[10] > 0]
        account_ids: dict[int, int] = {}
        for houses in chunks([ids[r[1]] for r in openings]):
            account_ids.update(session.execute(select(FundAccount.house_id, FundAccount.id)
                                               .where(FundAccount.house_id.in_(houses))).all())
        if openings:
            connection.execute(insert(LedgerEntry.__table__), [
                {"account_id": account_ids[ids[r[1]]], "kind": "deposit", "amount": r[10], "balance_after": r[10],
                 "occurred_at": _stamp(r[11], now), "memo": OPENING} for r in openings])
    adjust = [(account, diff) for (r, house, account, diff) in checked.records if house is not None and diff]
    for batch in chunks(adjust, BATCH):
        connection.execute(insert(LedgerEntry.__table__), [
            {"account_id": a[0], "kind": "deposit" if d > 0 else "withdrawal", "amount": d,
             "balance_after": a[1] + d, "occurred_at": now, "memo": ADJUSTMENT} for a, d in batch])
    if adjust:
        table = FundAccount.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values(balance=table.c.balance + bindparam("b_diff"), version=table.c.version + 1),
            [{"b_id": a[0], "b_diff": d} for a, d in adjust])


def _link_organisations(session: Session, keys: list[tuple[str, str]]) -> None:
    """An organisation owner whose credit code is a registered organisation points at it."""
    codes = [k[1] for k in keys]
    for batch in chunks(codes):
        found = dict(session.execute(select(Organisation.credit_code, Organisation.id)
                                     .where(Organisation.credit_code.in_(batch))).all())
        if found:
            session.connection().execute(
                update(Owner.__table__).where(Owner.__table__.c.id_type == ORG_ID_TYPE,
                                              Owner.__table__.c.id_no == bindparam("b_code"))
                .values(organisation_id=bindparam("b_org")),
                [{"b_code": c, "b_org": o} for c, o in found.items()])
