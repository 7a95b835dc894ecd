"""F24: the Shanghai profile's demo is Shanghai's: its districts, and 小区管理处 users whose role reads
小区管理处 wherever it is shown (the home screen, the operator list), as the Shanghai manual's 1.3/1.4
flows need them (several per office, added by the enterprise administrator, logging in themselves)."""

from sqlalchemy import func, select

from models import Community, District, Identity, Organisation, User
from services.core.profiles import PROFILES
from tests.pilot import login, text_of

SHANGHAI = dict(PROFILES["shanghai"].districts)
BEIJING = dict(PROFILES["beijing"].districts)


def test_the_shanghai_demo_has_shanghai_districts_and_places(sh_db):
    with sh_db.read() as s:
        districts = s.execute(select(District.code, District.name, District.city)).all()
        communities = s.execute(select(District.code, Community.address)
                                .join(District, Community.district_id == District.id)).all()
        addresses = s.execute(select(Organisation.address).where(Organisation.kind.in_(("enterprise", "office")))
                              ).scalars().all()
    assert {code: name for code, name, _ in districts} == SHANGHAI
    assert {city for *_, city in districts} == {"上海市"}
    assert communities and all(code in SHANGHAI for code, _ in communities)
    # a community's address starts with its own district
    assert all(address.startswith(SHANGHAI[code]) for code, address in communities)
    assert all(a.startswith(("上海市", *SHANGHAI.values())) for a in addresses if a)  # an office: its community's
    assert not any(name in address for name in BEIJING.values() for _, address in communities)


def test_the_shanghai_demo_has_several_office_users_with_the_office_role(sh_db):
    with sh_db.read() as s:
        office_users = s.execute(
            select(User.username, Organisation.name, Organisation.kind)
            .join(Identity, Identity.user_id == User.id).join(Organisation, Identity.organisation_id == Organisation.id)
            .where(Identity.role == "office_operator")).all()
        offices = s.execute(select(func.count()).select_from(Organisation).where(Organisation.kind == "office")
                            ).scalar_one()
        xqjb = s.execute(select(Identity.role, Organisation.kind).join(User, Identity.user_id == User.id)
                         .join(Organisation, Identity.organisation_id == Organisation.id)
                         .where(User.username == "xqjb")).all()
    assert offices >= 2
    assert xqjb == [("office_operator", "office")]
    assert {kind for *_, kind in office_users} == {"office"}
    per_office = {}
    for _, office, _ in office_users:
        per_office[office] = per_office.get(office, 0) + 1
    assert len(per_office) == offices and min(per_office.values()) >= 2  # more than one user per office
    assert all(office.endswith("管理处") for office in per_office)


async def test_an_office_user_sees_the_office_role_on_the_home_screen(make_sh_app):
    from services.demo.accounts import DEMO_PASSWORD

    app = make_sh_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "xqjb", DEMO_PASSWORD)
        who = text_of(app, "#who")
        assert "角色：小区管理处" in who and "企业经办人" not in who
        assert "管理处" in who  # 单位：the office itself


def test_the_operator_list_shows_the_office_role(sh_db, sh_actor):
    from services.admin.operators_query import OperatorFilter, all_rows

    rows = all_rows(sh_db, sh_actor("qyadmin"), OperatorFilter(category="office"))
    assert rows and {r.role_label for r in rows} == {"小区管理处"}
    assert all(r.department.endswith("管理处") for r in rows)


def test_the_beijing_demo_has_no_office_role(demo_db):
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(Identity).where(Identity.role == "office_operator")
                         ).scalar_one() == 0
        assert {c for (c,) in s.execute(select(District.city))} == {"北京市"}
