"""Importing communities and buildings (BY-06), keyed by district + community name (+ building name)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, insert, select, update
from sqlmodel import Session

from models import Building, Community, Organisation
from services.transfer import cells
from services.transfer.common import Checked, Progress, parse_rows

COMMUNITY_PARSERS = {
    "district": lambda v, t: cells.text(v, t, 40),
    "community": lambda v, t: cells.text(v, t, 100),
    "developer": lambda v, t: cells.text(v, t, 100),
    "address": lambda v, t: cells.text(v, t, 200),
    "code": lambda v, t: cells.text(v, t, 20, required=False),
}
BUILDING_PARSERS = {
    "district": lambda v, t: cells.text(v, t, 40),
    "community": lambda v, t: cells.text(v, t, 100),
    "building": lambda v, t: cells.text(v, t, 40),
    "units": lambda v, t: cells.integer(v, t, low=1, high=99),
    "floors_above": lambda v, t: cells.integer(v, t, low=1, high=200),
    "floors_below": lambda v, t: cells.integer(v, t, low=0, high=9, required=False) or 0,
    "structure": lambda v, t: cells.text(v, t, 20, required=False),
    "built_year": lambda v, t: cells.integer(v, t, low=1900, high=2100, required=False),
}

BUILDING_FIELDS = ("units", "floors_above", "floors_below", "structure", "built_year")


def check_communities(session: Session, checked: Checked, columns, rows, scope, progress: Progress | None = None):
    title = {c.key: c.title for c in checked.kind.columns}
    parsed = parse_rows(checked, checked.kind, columns, rows, COMMUNITY_PARSERS, progress)
    existing = {(d, n): (i, code, dev, addr) for i, d, n, code, dev, addr in session.execute(
        select(Community.id, Community.district_id, Community.name, Community.code, Community.developer_id,
               Community.address))}
    codes = {code: (d, n) for (d, n), (_, code, _, _) in existing.items()}
    developers = {n: i for i, n in session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.kind == "developer"))}
    seen: dict[tuple, int] = {}
    for number, v in parsed:
        district = scope.get(v["district"])
        if district is None:
            checked.issue(number, title["district"], v["district"], f"区县“{v['district']}”不存在或不在您的管辖范围内")
            continue
        key = (district[0], v["community"])
        if key in seen:
            checked.issue(number, title["community"], v["community"], f"与第 {seen[key]} 行是同一小区")
            continue
        old = existing.get(key)
        if v["code"] and codes.get(v["code"], key) != key:
            checked.issue(number, title["code"], v["code"], f"小区编码已被小区“{codes[v['code']][1]}”使用")
            continue
        seen[key] = number
        if v["code"]:
            codes[v["code"]] = key
        developer = developers.get(v["developer"])
        if old is None:
            checked.counts.added += 1
        elif (old[2], old[3]) != (developer, v["address"]) or (v["code"] and v["code"] != old[1]):
            checked.counts.updated += 1
        else:
            checked.counts.unchanged += 1
        checked.records.append((key, district[1], v, old))
    checked.lookup = {"developers": developers}


def apply_communities(session: Session, checked: Checked, progress: Progress | None = None) -> None:
    developers = checked.lookup["developers"]
    for key, district_code, v, old in checked.records:
        if v["developer"] not in developers:
            developers[v["developer"]] = session.execute(
                insert(Organisation).values(kind="developer", name=v["developer"], district_id=key[0],
                                            status="active", version=1)
                .returning(Organisation.id)).scalar_one()
    # New communities without a code are numbered after the district's highest one.
    counters: dict[str, int] = {}
    for key, district_code, v, old in checked.records:
        developer = developers[v["developer"]]
        if old is None:
            code = v["code"]
            if not code:
                if district_code not in counters:
                    top = session.execute(select(func.count()).select_from(Community)
                                          .where(Community.code.like(f"{district_code}%"))).scalar_one()
                    counters[district_code] = top
                counters[district_code] += 1
                code = f"{district_code}{counters[district_code]:04d}"
                while session.execute(select(Community.id).where(Community.code == code)).first():
                    counters[district_code] += 1
                    code = f"{district_code}{counters[district_code]:04d}"
            session.execute(insert(Community).values(code=code, name=key[1], district_id=key[0],
                                                     developer_id=developer, address=v["address"]))
        elif (old[2], old[3]) != (developer, v["address"]) or (v["code"] and v["code"] != old[1]):
            session.execute(update(Community).where(Community.id == old[0])
                            .values(developer_id=developer, address=v["address"], code=v["code"] or old[1]))


def check_buildings(session: Session, checked: Checked, columns, rows, scope, progress: Progress | None = None):
    title = {c.key: c.title for c in checked.kind.columns}
    parsed = parse_rows(checked, checked.kind, columns, rows, BUILDING_PARSERS, progress)
    communities = {(d, n): i for i, d, n in session.execute(
        select(Community.id, Community.district_id, Community.name))}
    existing = {(c, n): b for b, c, n in session.execute(select(Building, Building.community_id, Building.name))}
    fields = BUILDING_FIELDS
    seen: dict[tuple, int] = {}
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
        key = (community, v["building"])
        if key in seen:
            checked.issue(number, title["building"], v["building"], f"与第 {seen[key]} 行是同一自然幢")
            continue
        seen[key] = number
        old = existing.get(key)
        values = {f: v[f] for f in fields}
        if old is None:
            checked.counts.added += 1
        elif any(getattr(old, f) != values[f] for f in fields):
            checked.counts.updated += 1
        else:
            checked.counts.unchanged += 1
            continue
        checked.records.append((key, values, old.id if old else None))


def apply_buildings(session: Session, checked: Checked, progress: Progress | None = None) -> None:
    new = [{"community_id": key[0], "name": key[1], "sort_key": _sort_key(key[1]), **values}
           for key, values, old_id in checked.records if old_id is None]
    if new:
        session.execute(insert(Building), new)
    changed = [{"b_id": old_id, **{f"b_{k}": v for k, v in values.items()}}
               for key, values, old_id in checked.records if old_id is not None]
    if changed:
        table = Building.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values({f: bindparam(f"b_{f}") for f in BUILDING_FIELDS}), changed)


def _sort_key(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits[:9]) if digits else 0
