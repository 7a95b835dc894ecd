"""The demo's operators (操作员管理) and real-name register (手机二要素).

Enterprise 1 gets a dozen operators (two of them disabled), and in Shanghai three per community office;
the register holds every demo person plus a few spare people an administrator can add as operators;
one operator has a real-name request waiting for 用户审核. Drawn from their own random stream, so the
rest of the demo stays what it was.
"""

from __future__ import annotations

import random

from models import Identity, Organisation, RealNameRecord, RealNameRequest, User
from services.admin.labels import OPERATOR_ID_BASE
from services.demo.accounts import FIRST_LOGIN_MOBILE
from services.demo.names import People

ENTERPRISE_OPERATORS = 12
DISABLED = 2
PER_OFFICE = 3
SPARE_PEOPLE = 6
SEED = 2026_11  # their own stream: drawing from the planner's would change every later demo row


def plan_operators(planner) -> list[tuple[str, str]]:
    """Add the operators and the register to the planner's directory; returns the spare (name, mobile)."""
    d, city, now = planner.d, planner.city, planner.now
    people = People(random.Random(SEED), tuple(code for code, _ in city.profile.districts))
    enterprise = d.enterprises[0]
    placements = [(enterprise, "enterprise_operator", i >= ENTERPRISE_OPERATORS - DISABLED)
                  for i in range(ENTERPRISE_OPERATORS)]
    if city.profile.community_offices:  # BJ-26: Beijing has no 小区管理处 role
        placements += [(office, "office_operator", False) for office in d.offices for _ in range(PER_OFFICE)]
    # Rows of one table are inserted in one executemany, whose columns come from the first row.
    for table in (User.__table__, Identity.__table__):
        for row in d.rows[table]:
            row.setdefault("status", "active")
    first_identity = None
    first_login = None  # SH-11: the first office operator logs in by mobile for the first time
    for organisation, role, disabled in placements:
        name, id_no, _ = people.person()
        mobile = _unique_mobile(planner, people)
        if role == "office_operator" and first_login is None and city.profile.mobile_login:
            mobile = first_login = FIRST_LOGIN_MOBILE
            planner._mobiles.add(mobile)
        user = d.add(User.__table__, dict(
            username=None, mobile=mobile, real_name=name, id_type="居民身份证", id_no=id_no,
            password_hash=planner._password_hash, status="disabled" if disabled else "active", created_at=now,
            must_change_password=mobile == first_login))
        user["username"] = str(OPERATOR_ID_BASE + user["id"])
        identity = d.add(Identity.__table__, dict(
            user_id=user["id"], organisation_id=organisation, role=role, mobile=mobile,
            department=d.row(Organisation.__table__, organisation)["name"], status="disabled" if disabled else "active",
            created_at=now))
        if first_identity is None:
            first_identity = (user, identity, organisation)
    for user in d.rows[User.__table__]:
        if user["mobile"]:
            d.add(RealNameRecord.__table__, dict(mobile=user["mobile"], name=user["real_name"], source="demo",
                                                 created_at=now))
    spare = []
    for _ in range(SPARE_PEOPLE):
        name, _id_no, _ = people.person()
        mobile = _unique_mobile(planner, people)
        d.add(RealNameRecord.__table__, dict(mobile=mobile, name=name, source="demo", created_at=now))
        spare.append((name, mobile))
    user, identity, organisation = first_identity
    d.add(RealNameRequest.__table__, dict(
        user_id=user["id"], identity_id=identity["id"], enterprise_id=enterprise, department_id=organisation,
        real_name=user["real_name"], id_type="居民身份证", id_no=user["id_no"], mobile=user["mobile"],
        status="pending", submitted_at=now, result_seen=False, version=1, reason=None, decided_by=None,
        decided_at=None))
    return spare


def _unique_mobile(planner, people: People) -> str:
    while (mobile := people.mobile()) in planner._mobiles:
        pass
    planner._mobiles.add(mobile)
    return mobile
