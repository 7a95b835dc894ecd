"""Shapes of the demo buildings: regular ones drawn at random, and the irregular ones every demo has.

A building is a row of units; each unit has its own floor labels (which may skip 4, 13 and 14), rooms per
floor, optional ground-floor shops and optional basement floors. Areas are 0.01 ㎡ and stack: a room
position has the same area on every floor, as flats of one layout do.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

UNLUCKY_FLOORS = frozenset({4, 13, 14})
WALKUP_RATE = 10_000  # first deposit, fen per ㎡: 100 元 without a lift,
LIFT_RATE = 20_000  # 200 元 with one
LATEST_DELIVERY = date(2025, 5, 31)


@dataclass(frozen=True)
class Unit:
    floors: tuple[int, ...]  # above-ground floor labels, ascending
    areas: tuple[int, ...]  # one per room position; its length is the rooms per floor
    shops: tuple[int, ...] = ()  # ground-floor shops, in place of floor 1's flats
    basement: tuple[int, ...] = ()  # rooms of each basement floor (B1, B2, …)
    basement_use: str = "车库"
    basement_floors: int = 0

    @property
    def size(self) -> int:
        flats = len(self.floors) * len(self.areas)
        if self.shops:
            flats += len(self.shops) - len(self.areas)
        return flats + self.basement_floors * len(self.basement)

    def houses(self, unit: int) -> Iterator[tuple[int, int, int, str, str, int]]:
        """(unit, floor, room, room_no, use, area) from the lowest basement up."""
        for level in range(self.basement_floors, 0, -1):
            for room, area in enumerate(self.basement, 1):
                yield unit, -level, room, f"B{level}-{room:02d}", self.basement_use, area
        for floor in self.floors:
            if floor == 1 and self.shops:
                for room, area in enumerate(self.shops, 1):
                    yield unit, 1, room, f"1{room:02d}", "商业", area
                continue
            for room, area in enumerate(self.areas, 1):
                yield unit, floor, room, f"{floor}{room:02d}", "住宅", area


@dataclass(frozen=True)
class Shape:
    structure: str
    units: tuple[Unit, ...]
    rate: int  # first deposit, fen per ㎡

    @property
    def size(self) -> int:
        return sum(u.size for u in self.units)

    @property
    def floors_above(self) -> int:
        return max(len(u.floors) for u in self.units)

    @property
    def floors_below(self) -> int:
        return max(u.basement_floors for u in self.units)

    def houses(self) -> Iterator[tuple[int, int, int, str, str, int]]:
        for number, unit in enumerate(self.units, 1):
            yield from unit.houses(number)


@dataclass(frozen=True)
class BuildingPlan:
    number: int
    shape: Shape
    built_year: int
    delivered: date  # when the flats were handed over and the first deposits paid


def floor_labels(count: int, skip_unlucky: bool = False) -> tuple[int, ...]:
    labels = (f for f in range(1, count * 2) if not (skip_unlucky and f in UNLUCKY_FLOORS))
    return tuple(label for _, label in zip(range(count), labels))


def _areas(rng: random.Random, rooms: int, low: int, high: int) -> tuple[int, ...]:
    return tuple(rng.randint(low * 100, high * 100) for _ in range(rooms))


def _unit(rng: random.Random, floors: tuple[int, ...], rooms: int, low: int, high: int, **extra) -> Unit:
    return Unit(floors=floors, areas=_areas(rng, rooms, low, high), **extra)


def _garage(rng: random.Random, floors: int, rooms: int, use: str = "车库") -> dict:
    low, high = (15, 40) if use == "车库" else (5, 20)
    return dict(basement=_areas(rng, rooms, low, high), basement_use=use, basement_floors=floors)


def walkup(rng: random.Random, units: int) -> Shape:
    """多层: no lift, two flats per landing, sometimes storage rooms in a half basement."""
    extra = _garage(rng, 1, 4, "储藏室") if rng.random() < 0.2 else {}
    return Shape("砖混", tuple(_unit(rng, floor_labels(6), 2, 50, 95, **extra) for _ in range(units)),
                 WALKUP_RATE)


def midrise(rng: random.Random) -> Shape:
    """小高层: 9 to 12 floors, shops on the ground floor now and then."""
    floors = floor_labels(rng.choice((9, 11, 11, 12)))
    rooms = rng.choice((2, 2, 3))
    shops = rng.random() < 0.2
    units = tuple(
        _unit(rng, floors, rooms, 75, 140, shops=_areas(rng, rooms, 60, 300) if shops else ())
        for _ in range(rng.choice((2, 2, 3)))
    )
    return Shape("框架剪力墙", units, LIFT_RATE)


def highrise(rng: random.Random) -> Shape:
    """高层: 18 to 28 floors, often without 4/13/14, often over a garage."""
    floors = floor_labels(rng.randint(18, 28), skip_unlucky=rng.random() < 0.35)
    rooms = rng.choice((3, 4, 4))
    basement = _garage(rng, rng.choice((1, 2)), 6) if rng.random() < 0.3 else {}
    units = tuple(_unit(rng, floors, rooms, 60, 150, **basement) for _ in range(rng.choice((1, 2, 2, 3))))
    return Shape("剪力墙", units, LIFT_RATE)


def random_shape(rng: random.Random, built_year: int) -> Shape:
    """Older estates are mostly walk-ups, newer ones mostly towers."""
    roll = rng.random()
    if built_year < 2000:
        return walkup(rng, rng.randint(2, 5)) if roll < 0.85 else midrise(rng)
    if built_year < 2010:
        return walkup(rng, rng.randint(2, 5)) if roll < 0.3 else midrise(rng) if roll < 0.7 else highrise(rng)
    return midrise(rng) if roll < 0.35 else highrise(rng)


def special_shapes(rng: random.Random) -> list[list[Shape]]:
    """The irregular buildings every demo shows, grouped by the community that gets them."""
    tower = Shape("剪力墙", tuple(_unit(rng, floor_labels(33), 4, 60, 140) for _ in range(3)), LIFT_RATE)
    no_unlucky = Shape("剪力墙", tuple(_unit(rng, floor_labels(18, True), 3, 70, 130) for _ in range(2)), LIFT_RATE)
    shop_floors = floor_labels(12)
    over_shops = Shape("框架剪力墙", (
        _unit(rng, shop_floors, 2, 90, 180, shops=_areas(rng, 3, 60, 300), **_garage(rng, 2, 8)),
        _unit(rng, shop_floors, 2, 90, 180, shops=_areas(rng, 3, 60, 300), **_garage(rng, 2, 8, "储藏室")),
    ), LIFT_RATE)
    stepped = Shape("框架剪力墙", tuple(_unit(rng, floor_labels(n), 2, 80, 160) for n in (18, 11, 6)), LIFT_RATE)
    mixed_rooms = Shape("剪力墙", tuple(_unit(rng, floor_labels(15), n, 45, 120) for n in (2, 3, 4)), LIFT_RATE)
    return [[tower, no_unlucky], [over_shops, walkup(rng, 3)], [stepped, mixed_rooms]]


def _fitting_walkup(rng: random.Random, remaining: int) -> Shape:
    return walkup(rng, min(6, max(1, -(-remaining // 12))))


def community_buildings(rng: random.Random, target: int, specials: list[Shape]) -> list[BuildingPlan]:
    """The specials plus regular buildings until the community holds `target` houses (overshooting by less
    than one walk-up stairway), and at least one building."""
    era = rng.randint(1995, 2022)

    def year() -> int:
        return min(era + rng.randint(0, 2), LATEST_DELIVERY.year)

    built = [(shape, year()) for shape in specials]
    total = sum(shape.size for shape, _ in built)
    while total < target or not built:
        built_year = year()
        shape = random_shape(rng, built_year)
        if shape.size > target - total:
            shape = _fitting_walkup(rng, target - total)
        built.append((shape, built_year))
        total += shape.size
    return [
        BuildingPlan(number, shape, built_year,
                     min(date(built_year, 1, 1) + timedelta(days=rng.randrange(365)), LATEST_DELIVERY))
        for number, (shape, built_year) in enumerate(built, 1)
    ]
