"""The demo database: deterministic, consistent money, the irregular buildings, the accounts the README lists."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest

import services.demo.fund
from models.db import Database
from models.schema import HEAD_REVISION, current_revision
from services.identity.auth import authenticate
from services.core.checkcodes import is_valid_credit_code, is_valid_id_card
from services.demo.build import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoError, build_demo
from services.core.profiles import PROFILES
from tui.cli import main

SMALL = 1500


def _build(directory: Path, profile: str = "beijing", **options):
    url = f"sqlite:///{directory / f'{profile}.db'}"
    return url, build_demo(url, profile, **options)


@pytest.fixture(scope="module")
def beijing(tmp_path_factory):
    """The default size, as `wxzj --demo` builds it."""
    return _build(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("demo"), "shanghai", houses=SMALL)


@pytest.fixture(params=["beijing", "shanghai"])
def built(request):
    return request.getfixturevalue(request.param)


def _sql(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.removeprefix("sqlite:///"))


def _one(con: sqlite3.Connection, query: str, *args):
    return con.execute(query, args).fetchone()[0]


def _fingerprint(url: str) -> str:
    con = _sql(url)
    digest = hashlib.sha256()
    for query in ("SELECT * FROM house ORDER BY id", "SELECT name, id_no FROM owner ORDER BY id",
                  "SELECT account_id, kind, amount, balance_after FROM ledger_entry ORDER BY id", "SELECT name, credit_code FROM organisation ORDER BY id",
                  "SELECT * FROM building ORDER BY id", "SELECT name, address FROM community ORDER BY id"):
        digest.update(repr(con.execute(query).fetchall()).encode())
    return digest.hexdigest()


def test_default_size(beijing):
    url, summary = beijing
    con = _sql(url)
    assert current_revision(url) == HEAD_REVISION
    assert _one(con, "SELECT count(*) FROM community") >= 12
    assert _one(con, "SELECT count(*) FROM building") >= 60
    assert 6000 <= _one(con, "SELECT count(*) FROM house") <= 6000 * 1.03
    assert _one(con, "SELECT count(*) FROM fund_account") == summary.estate.houses
    assert _one(con, "SELECT count(DISTINCT community_id) FROM building") == _one(con, "SELECT count(*) FROM community")
    text = "\n".join(summary.lines())
    assert "区县 16 个" in text and "物业服务企业 3 家（小区管理处 2 个）" in text
    assert f"房屋 {summary.estate.houses:,} 户" in text and DEMO_PASSWORD in text and url in text
    assert re.search(r"余额不足 100 元的房屋 [\d,]+ 户", text)


def test_balances_are_built_from_their_ledger(built):
    con = _sql(built[0])
    assert _one(con, """SELECT count(*) FROM fund_account a WHERE balance <>
                        (SELECT sum(amount) FROM ledger_entry e WHERE e.account_id = a.id)""") == 0
    assert _one(con, "SELECT count(*) FROM fund_account WHERE balance < 0 OR frozen < 0 OR frozen > balance") == 0
    # Frozen is exactly what the demo's orders awaiting review hold.
    assert _one(con, """SELECT count(*) FROM fund_account a WHERE frozen <>
                        (SELECT coalesce(sum(amount), 0) FROM freeze f
                         WHERE f.account_id = a.id AND f.status = 'active')""") == 0
    entries = con.execute("SELECT account_id, amount, balance_after, occurred_at FROM ledger_entry "
                          "ORDER BY account_id, id").fetchall()
    running, account, last_time = 0, None, ""
    for account_id, amount, balance_after, occurred_at in entries:
        if account_id != account:
            running, account, last_time = 0, account_id, ""
        running += amount
        assert balance_after == running >= 0
        assert occurred_at >= last_time
        last_time = occurred_at
    kinds = dict(con.execute("SELECT kind, count(*) FROM ledger_entry GROUP BY kind").fetchall())
    assert kinds.keys() == {"deposit", "interest", "withdrawal"}
    assert kinds["deposit"] == _one(con, "SELECT count(*) FROM fund_account")


def test_some_balances_are_low_enough_for_arrears(beijing):
    url, summary = beijing
    con = _sql(url)
    # The demo's approved orders withdraw after the estate is built, so only more can be low now.
    low = _one(con, "SELECT count(*) FROM fund_account WHERE balance < 10000")
    assert low >= summary.estate.low_balance
    assert 0.04 < summary.estate.low_balance / summary.estate.houses < 0.10


def test_every_house_stands_in_a_building_of_a_community(built):
    con = _sql(built[0])
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _one(con, """SELECT count(*) FROM house h LEFT JOIN building b ON b.id = h.building_id
                        LEFT JOIN community c ON c.id = b.community_id WHERE c.id IS NULL""") == 0
    assert _one(con, "SELECT count(*) FROM house WHERE use = '住宅' AND area NOT BETWEEN 4500 AND 18000") == 0
    assert _one(con, "SELECT count(*) FROM house WHERE use = '商业' AND area NOT BETWEEN 6000 AND 30000") == 0
    bad_numbers = [(floor, room, room_no) for floor, room, room_no in
                   con.execute("SELECT floor, room, room_no FROM house")
                   if room_no != (f"{floor}{room:02d}" if floor > 0 else f"B{-floor}-{room:02d}")]
    assert bad_numbers == []


def _floors(con, building_id: int, unit: int) -> list[int]:
    return [f for (f,) in con.execute("SELECT DISTINCT floor FROM house WHERE building_id = ? AND unit = ? "
                                      "AND floor > 0 ORDER BY floor", (building_id, unit))]


def _rooms_per_floor(con, building_id: int) -> set[tuple[int, int]]:
    """{(unit, rooms on a residential floor)}"""
    return set(con.execute("SELECT unit, count(*) FROM house WHERE building_id = ? AND use = '住宅' "
                           "GROUP BY unit, floor", (building_id,)).fetchall())


def test_the_irregular_buildings_exist(built):
    con = _sql(built[0])
    towers = [b for (b,) in con.execute("SELECT id FROM building WHERE floors_above = 33 AND units = 3")]
    assert any(_rooms_per_floor(con, b) == {(1, 4), (2, 4), (3, 4)} for b in towers)
    walkups = [b for (b,) in con.execute("SELECT id FROM building WHERE floors_above = 6 AND structure = '砖混'")]
    assert any(all(_floors(con, b, u) == [1, 2, 3, 4, 5, 6] for u in (1, 2)) and
               {rooms for _, rooms in _rooms_per_floor(con, b)} == {2} for b in walkups)
    tall = [b for (b,) in con.execute("SELECT id FROM building WHERE floors_above >= 15")]
    assert any(not {4, 13, 14} & set(_floors(con, b, 1)) and len(_floors(con, b, 1)) >= 15 for b in tall)
    assert _one(con, "SELECT count(*) FROM house WHERE floor < 0 AND use IN ('车库', '储藏室')") > 0
    assert _one(con, "SELECT count(*) FROM building WHERE floors_below > 0") > 0
    assert _one(con, "SELECT count(*) FROM house WHERE floor = 1 AND use = '商业'") > 0
    stepped = con.execute("""SELECT building_id FROM (SELECT building_id, unit, max(floor) top FROM house
                             GROUP BY building_id, unit) GROUP BY building_id HAVING count(DISTINCT top) > 1""")
    assert stepped.fetchall()
    mixed = con.execute("""SELECT building_id FROM (SELECT building_id, unit, max(room) rooms FROM house
                           WHERE use = '住宅' GROUP BY building_id, unit) GROUP BY building_id
                           HAVING count(DISTINCT rooms) > 1""")
    assert mixed.fetchall()


def test_each_district_has_its_department_and_one_reviewer(built):
    url, summary = built
    con = _sql(url)
    profile = next(p for p in PROFILES.values() if p.title == summary.title)
    assert {c for (c,) in con.execute("SELECT code FROM district")} == {c for c, _ in profile.districts}
    per_district = con.execute("""SELECT d.code, count(DISTINCT o.id), count(i.id) FROM district d
                                  LEFT JOIN organisation o ON o.district_id = d.id AND o.kind = 'authority'
                                  LEFT JOIN identity i ON i.organisation_id = o.id AND i.role = 'reviewer'
                                  GROUP BY d.code""").fetchall()
    assert {(authorities, reviewers) for _, authorities, reviewers in per_district} == {(1, 1)}


def _identities(con, username: str) -> list[tuple[str, str | None, str | None]]:
    return con.execute("""SELECT i.role, o.kind, o.name FROM identity i JOIN user_account u ON u.id = i.user_id
                          LEFT JOIN organisation o ON o.id = i.organisation_id
                          WHERE u.username = ? ORDER BY i.id""", (username,)).fetchall()


def test_demo_accounts_have_their_roles(built):
    url, summary = built
    con = _sql(url)
    office_role = "office_operator" if "上海" in summary.title else "enterprise_operator"
    enterprise1, enterprise2, enterprise3 = [n for (n,) in con.execute(
        "SELECT name FROM organisation WHERE kind = 'enterprise' ORDER BY id")]
    assert _identities(con, "qyadmin") == [("enterprise_admin", "enterprise", enterprise1)]
    assert _identities(con, "qyjb") == [("enterprise_operator", "enterprise", enterprise1)]
    [(role, kind, office)] = _identities(con, "xqjb")
    assert (role, kind) == (office_role, "office") and office.startswith(enterprise1)
    assert [r[:2] for r in _identities(con, "shenhe")] == [("reviewer", "authority")]
    assert [r[:2] for r in _identities(con, "admin")] == [("sysadmin", "platform")]
    assert _identities(con, "duoshenfen") == [("enterprise_admin", "enterprise", enterprise2),
                                              ("enterprise_operator", "enterprise", enterprise3)]
    assert _identities(con, "zhuce") == [("registrant", None, None)]
    assert [name for name, _, _ in summary.accounts] == [name for name, _, _ in DEMO_ACCOUNTS]
    mobiles = [m for (m,) in con.execute("SELECT mobile FROM user_account")]
    assert len(set(mobiles)) == len(mobiles) and all(re.fullmatch(r"1[358]\d{9}", m) for m in mobiles)
    assert _one(con, "SELECT count(*) FROM identity i JOIN user_account u ON u.id = i.user_id "
                     "WHERE i.mobile IS NOT u.mobile") == 0


def test_demo_accounts_log_in(beijing):
    db = Database(beijing[0])
    try:
        login = authenticate(db, "duoshenfen", DEMO_PASSWORD)
        assert [i.role for i in login.identities] == ["enterprise_admin", "enterprise_operator"]
        assert authenticate(db, "zhuce", DEMO_PASSWORD).identities[0].organisation_id is None
    finally:
        db.dispose()


def test_communities_are_associated_and_enterprise_one_is_in_shenhe_s_district(built):
    con = _sql(built[0])
    assert _one(con, """SELECT count(*) FROM community c WHERE (SELECT count(*) FROM association a
                        WHERE a.community_id = c.id AND a.status = 'approved') <> 1""") == 0
    shenhe_district = _one(con, """SELECT o.district_id FROM identity i JOIN user_account u ON u.id = i.user_id
                                   JOIN organisation o ON o.id = i.organisation_id WHERE u.username = 'shenhe'""")
    districts = con.execute("""SELECT DISTINCT c.district_id FROM association a JOIN community c
                               ON c.id = a.community_id WHERE a.enterprise_id = (SELECT min(id) FROM organisation
                               WHERE kind = 'enterprise')""").fetchall()
    assert districts == [(shenhe_district,)]
    assert _one(con, """SELECT count(*) FROM association a JOIN community c ON c.id = a.community_id
                        JOIN identity i ON i.user_id = a.reviewed_by JOIN organisation o ON o.id = i.organisation_id
                        WHERE i.role <> 'reviewer' OR o.district_id <> c.district_id""") == 0
    numbers = [n for (n,) in con.execute("SELECT application_no FROM association")]
    assert len(set(numbers)) == len(numbers) and all(re.fullmatch(r"GL\d{14}", n) for n in numbers)
    offices = con.execute("""SELECT oc.community_id FROM office_community oc
                             JOIN organisation o ON o.id = oc.office_id AND o.kind = 'office'
                             JOIN association a ON a.community_id = oc.community_id AND a.enterprise_id = o.parent_id
                             """).fetchall()
    assert len(offices) == 2  # both offices belong to the enterprise that serves their community


def test_identification_numbers_are_valid_and_unique(built):
    con = _sql(built[0])
    codes = [c for (c,) in con.execute("SELECT credit_code FROM organisation WHERE credit_code IS NOT NULL")]
    assert len(codes) >= 16 + 3 + 2 and all(is_valid_credit_code(c) for c in codes)
    assert len(set(codes)) == len(codes)
    ids = [n for (n,) in con.execute("SELECT id_no FROM owner WHERE kind = 'person'")]
    assert all(is_valid_id_card(n) for n in ids) and len(set(ids)) == len(ids)


def test_owners(beijing):
    url, summary = beijing
    con = _sql(url)
    unsold = con.execute("""SELECT o.kind, o.organisation_id = c.developer_id FROM house h
                            JOIN owner o ON o.id = h.owner_id JOIN building b ON b.id = h.building_id
                            JOIN community c ON c.id = b.community_id WHERE o.kind = 'organisation'""").fetchall()
    assert set(unsold) == {("organisation", 1)} and 0.03 < len(unsold) / summary.estate.houses < 0.07
    holdings = [n for (n,) in con.execute("SELECT count(*) FROM house h JOIN owner o ON o.id = h.owner_id "
                                          "WHERE o.kind = 'person' GROUP BY owner_id")]
    assert len(holdings) == summary.estate.persons
    assert 0.05 < sum(n > 1 for n in holdings) / len(holdings) < 0.12
    assert _one(con, "SELECT count(*) FROM owner WHERE kind = 'organisation'") == 2


def test_same_seed_same_data(tmp_path):
    first = _build(tmp_path / "a", houses=SMALL)[0]
    again = _build(tmp_path / "b", houses=SMALL)[0]
    other = _build(tmp_path / "c", houses=SMALL, seed=7)[0]
    assert _fingerprint(first) == _fingerprint(again) != _fingerprint(other)


def test_existing_database_needs_force(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'wxzj.db'}"
    assert main(["--database-url", url, "demo", "--houses", str(SMALL)]) == 0
    assert "房屋" in capsys.readouterr().out
    assert main(["--database-url", url, "demo", "--houses", str(SMALL)]) == 2
    assert "数据库已存在" in capsys.readouterr().err
    _sql(url).execute("DELETE FROM ledger_entry").connection.commit()
    assert main(["--database-url", url, "demo", "--houses", str(SMALL), "--force"]) == 0
    assert _one(_sql(url), "SELECT count(*) FROM ledger_entry") > 0


def test_unusable_location_or_arguments_are_explained(tmp_path):
    (tmp_path / "plain-file").write_text("")
    with pytest.raises(DemoError, match="无法创建数据目录"):
        build_demo(f"sqlite:///{tmp_path / 'plain-file' / 'sub' / 'wxzj.db'}", "beijing")
    with pytest.raises(DemoError, match="未知的城市配置"):
        build_demo(f"sqlite:///{tmp_path / 'x.db'}", "tianjin")
    with pytest.raises(DemoError, match="房屋户数"):
        build_demo(f"sqlite:///{tmp_path / 'x.db'}", "beijing", houses=0)


def test_a_failed_build_leaves_no_file(tmp_path, monkeypatch):
    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(services.demo.fund.EstateBuilder, "build", fail)
    path = tmp_path / "wxzj.db"
    with pytest.raises(DemoError, match="disk full"):
        build_demo(f"sqlite:///{path}", "beijing", houses=SMALL)
    assert not path.exists()
