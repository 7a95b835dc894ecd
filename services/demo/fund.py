"""The big part of the demo: buildings, houses, owners, fund accounts and ledger entries.

Generated community by community and written in batches of plain tuples through the driver's executemany:
a million houses come to some seven million rows, too many for ORM objects or even Core's per-row parameter
processing. Ids are counted here, so no row has to be read back.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from itertools import accumulate, count

from sqlalchemy import Connection, Engine, Table

from models import Building, FundAccount, House, LedgerEntry, Owner
from services.core.clock import LOCAL_ZONE
from services.demo.directory import City, CommunityPlan, Directory
from services.demo.estate import BuildingPlan, community_buildings, special_shapes
from services.demo.names import REPAIRS, People

BATCH_HOUSES = 50_000
UNSOLD_SHARE = 0.05  # houses the developer still holds
SECOND_HOME_SHARE = 0.07  # flats bought by someone who already owns one in the community
SECOND_STORE_SHARE = 0.6  # garages and storage rooms, mostly bought by residents
REPAIRED_BUILDINGS = 0.3  # buildings with an earlier withdrawal
LOW_SHARE = 0.07  # accounts drained almost empty, so that apportioning an order runs into arrears
LOW_BALANCE_FEN = 10_000
INTEREST_DAYS = (date(2024, 6, 30), date(2025, 6, 30))
INTEREST_PER_MILLE = 15
DRAINED_FROM = date(2025, 9, 1)  # after every deposit and interest entry

# (table, columns) in foreign-key order; the batches hold tuples in these column orders.
TABLES: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (Building.__table__, ("id", "community_id", "name", "sort_key", "units", "floors_above", "floors_below",
                          "structure", "built_year")),
    (Owner.__table__, ("id", "kind", "name", "id_type", "id_no", "phone", "organisation_id")),
    (House.__table__, ("id", "building_id", "unit", "floor", "room", "room_no", "use", "area", "owner_id")),
    (FundAccount.__table__, ("id", "house_id", "account_no", "balance", "frozen", "opened_at", "version")),
    (LedgerEntry.__table__, ("id", "account_id", "kind", "amount", "balance_after", "occurred_at",
                             "task_order_id", "memo")),
)


@dataclass
class EstateCounts:
    buildings: int = 0
    houses: int = 0
    persons: int = 0
    multi_owners: int = 0  # persons holding more than one house
    unsold: int = 0
    entries: int = 0
    balance_fen: int = 0
    low_balance: int = 0


def insert_tuples(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
                         f"VALUES ({', '.join([mark] * len(columns))})", rows)


class EstateBuilder:
    def __init__(self, engine: Engine, rng: random.Random, people: People, city: City, directory: Directory) -> None:
        self.engine, self.rng, self.people, self.city, self.directory = engine, rng, people, city, directory
        self.counts = EstateCounts()
        self.ids = {table: count(1) for table, _ in TABLES if table is not FundAccount.__table__}
        self.batch: dict[Table, list[tuple]] = {table: [] for table, _ in TABLES}
        column_type = FundAccount.__table__.c.opened_at.type
        to_db = column_type.dialect_impl(engine.dialect).bind_processor(engine.dialect) or (lambda value: value)
        # A few thousand distinct days recur across millions of entries: convert each once.
        self.stamp = cache(lambda day, hour: to_db(
            datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_ZONE).astimezone(timezone.utc)))

    def build(self, houses: int, progress: Callable[[str], None]) -> EstateCounts:
        """Communities fill up to a running goal, so the total lands just above `houses` whatever the
        irregular buildings take."""
        communities = self.directory.communities
        developer_owners = {dev["id"]: self._developer_owner(dev) for dev in self.directory.developers}
        weights = list(accumulate(self.rng.uniform(0.6, 1.4) for _ in communities))
        specials = special_shapes(self.rng)
        reported = 0
        for index, plan in enumerate(communities):
            goal = round(houses * weights[index] / weights[-1])
            shapes = specials[index] if index < len(specials) else []
            buildings = community_buildings(self.rng, goal - self.counts.houses, shapes)
            self._community(plan, buildings, developer_owners[plan.developer["id"]])
            if len(self.batch[House.__table__]) >= BATCH_HOUSES:
                self._flush()
                if houses >= 200_000 and self.counts.houses >= reported + houses // 4:
                    reported = self.counts.houses
                    progress(f"已生成房屋 {reported:,} 户 …")
        self._flush()
        return self.counts

    def _developer_owner(self, developer: dict) -> int:
        owner_id = next(self.ids[Owner.__table__])
        self.batch[Owner.__table__].append((owner_id, "organisation", developer["name"], "统一社会信用代码",
                                            developer["credit_code"], developer["phone"], developer["id"]))
        return owner_id

    def _community(self, plan: CommunityPlan, buildings: list[BuildingPlan], developer_owner: int) -> None:
        residents: list[int] = []
        several: set[int] = set()
        for building in buildings:
            shape = building.shape
            building_id = next(self.ids[Building.__table__])
            self.batch[Building.__table__].append((
                building_id, plan.id, f"{building.number}{self.city.building_suffix}", building.number,
                len(shape.units), shape.floors_above, shape.floors_below, shape.structure, building.built_year,
            ))
            repair = self._repair(building)
            # Flats first, so that the garages and storage rooms below can go to the building's residents.
            for unit, floor, room, room_no, use, area in sorted(shape.houses(), key=lambda house: house[1] < 0):
                house_id = next(self.ids[House.__table__])
                owner = self._owner(use, residents, several, developer_owner)
                self.batch[House.__table__].append((house_id, building_id, unit, floor, room, room_no, use, area,
                                                    owner))
                self._account(house_id, plan.district_code, building, area, repair)
                self.counts.houses += 1
        self.counts.buildings += len(buildings)

    def _owner(self, use: str, residents: list[int], several: set[int], developer_owner: int) -> int:
        rng = self.rng
        if rng.random() < UNSOLD_SHARE:
            self.counts.unsold += 1
            return developer_owner
        again = SECOND_HOME_SHARE if use in ("住宅", "商业") else SECOND_STORE_SHARE
        if residents and rng.random() < again:
            owner = rng.choice(residents)
            if owner not in several:
                several.add(owner)
                self.counts.multi_owners += 1
            return owner
        owner = next(self.ids[Owner.__table__])
        name, id_no, mobile = self.people.person()
        self.batch[Owner.__table__].append((owner, "person", name, "居民身份证", id_no, mobile, None))
        residents.append(owner)
        self.counts.persons += 1
        return owner

    def _repair(self, building: BuildingPlan) -> tuple[date, int, str] | None:
        """An earlier repair of the whole building: (day, fen per ㎡, memo), for some older buildings."""
        rng = self.rng
        if building.built_year > 2019 or rng.random() >= REPAIRED_BUILDINGS:
            return None
        day = date(rng.randint(building.built_year + 4, 2023), rng.randint(1, 12), rng.randint(1, 28))
        return day, rng.randint(500, 3000), f"{rng.choice(REPAIRS)}分摊"

    def _account(self, house_id: int, district: str, building: BuildingPlan, area: int,
                 repair: tuple[date, int, str] | None) -> None:
        """The account's balance is the running sum of the entries posted here, in time order."""
        rng, entries, ids = self.rng, self.batch[LedgerEntry.__table__], self.ids[LedgerEntry.__table__]
        balance = 0

        def post(day: date, hour: int, kind: str, amount: int, memo: str) -> None:
            nonlocal balance
            balance += amount
            entries.append((next(ids), house_id, kind, amount, balance, self.stamp(day, hour), None, memo))

        opened = building.delivered + timedelta(days=rng.randrange(90))
        post(opened, 10, "deposit", area * building.shape.rate // 100, "首期交存")
        if repair is not None:
            day, rate, memo = repair
            post(day, 15, "withdrawal", -min(balance, area * rate // 100), memo)
        for day in INTEREST_DAYS:
            if opened < day and balance * INTEREST_PER_MILLE // 1000 > 0:
                post(day, 20, "interest", balance * INTEREST_PER_MILLE // 1000, f"{day.year}年度结息")
        if rng.random() < LOW_SHARE:
            left = rng.randrange(3001)
            if balance > left:
                post(DRAINED_FROM + timedelta(days=rng.randrange(120)), 15, "withdrawal", left - balance,
                     f"{rng.choice(REPAIRS)}分摊")
        # One account per house, so it shares the house's id.
        self.batch[FundAccount.__table__].append(
            (house_id, house_id, f"{district}{house_id:010d}", balance, 0, self.stamp(opened, 10), 1))
        self.counts.balance_fen += balance
        self.counts.low_balance += balance < LOW_BALANCE_FEN

    def _flush(self) -> None:
        with self.engine.begin() as conn:
            for table, columns in TABLES:
                insert_tuples(conn, table, columns, self.batch[table])
        self.counts.entries += len(self.batch[LedgerEntry.__table__])
        self.batch = {table: [] for table, _ in TABLES}
