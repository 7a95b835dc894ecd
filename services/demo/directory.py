"""Who is who and where in the demo: districts, organisations, users and their identities, communities and
the approved associations between enterprises and communities.

All of it is small (a few thousand rows at most), so it is planned as row dicts and written with plain Core
inserts; the houses and their money are the big part and live in services.demo.fund.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Connection, Table

from models import (Association, Community, District, EnterpriseRegister, Identity, NumberCounter, OfficeCommunity,
                    Organisation, User)
from services.core.clock import LOCAL_ZONE
from services.demo.accounts import (DEMO_ACCOUNTS, DEMO_PASSWORD, LEGACY_CERT_NO, OTP_DEMO_MOBILE, OTP_DEMO_USER,
                                    XQJB_MOBILE)
from services.demo.names import COMMUNITY_STEMS, COMMUNITY_SUFFIXES, People, credit_code, road_address
from services.core.numbers import PREFIXES
from services.identity.passwords import hash_password
from services.core.profiles import ROLE_LABELS, Profile

DEMO_USERNAMES = tuple(username for username, _, _ in DEMO_ACCOUNTS)
HOUSES_PER_COMMUNITY = 450
MIN_COMMUNITIES = 12
ASSOCIATIONS_FROM = date(2026, 1, 5)  # the demo enterprises filed their associations from this day on
ASSOCIATIONS_PER_DAY = 20
ENTERPRISES = (("安居物业服务有限公司", "anju"), ("嘉禾物业管理有限公司", "jiahe"), ("永安物业服务有限公司", "yongan"))
DEVELOPERS = (("城建房地产开发有限公司", "chengjian"), ("万和置业有限公司", "wanhe"))

_ORGS = Organisation.__table__
_COMMUNITIES = Community.__table__


def renamed_enterprise(name: str) -> str:
    """The name enterprise 1 is registered under in the demo register: 北京安居物业服务有限公司 →
    北京安居物业服务集团有限公司."""
    return name.replace("有限公司", "集团有限公司")


@dataclass(frozen=True)
class City:
    """What makes the demo look like its city, beyond the profile."""

    profile: Profile
    phone_area: str
    postcode: str
    home_district: str  # where enterprise 1 and all its communities are
    authority_suffix: str
    competent_dept: str
    building_suffix: str
    address_suffix: str

    @property
    def short(self) -> str:
        return self.profile.city.removesuffix("市")


@dataclass(frozen=True)
class CommunityPlan:
    id: int
    district_code: str
    developer: dict  # the developer's organisation row


@dataclass
class Directory:
    rows: dict[Table, list[dict]] = field(default_factory=dict)
    district_ids: dict[str, int] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    enterprises: list[int] = field(default_factory=list)
    offices: list[int] = field(default_factory=list)
    developers: list[dict] = field(default_factory=list)
    communities: list[CommunityPlan] = field(default_factory=list)
    spare_people: list[tuple[str, str]] = field(default_factory=list)  # in the real-name register, not users

    def add(self, table: Table, row: dict) -> dict:
        """Keep a row for writing; tables with an id column get the next one."""
        rows = self.rows.setdefault(table, [])
        if "id" in table.c:
            row["id"] = len(rows) + 1
        rows.append(row)
        return row

    def row(self, table: Table, row_id: int) -> dict:
        return self.rows[table][row_id - 1]

    def write(self, conn: Connection) -> None:
        for table, rows in self.rows.items():  # planned parents first, so in foreign-key order
            # one executemany per set of columns: rows planned by different builders may name different ones
            groups: dict[tuple[str, ...], list[dict]] = {}
            for row in rows:
                groups.setdefault(tuple(sorted(row)), []).append(row)
            for group in groups.values():
                conn.execute(table.insert(), group)

    def account_lines(self) -> list[tuple[str, str, str]]:
        """(user name, roles, organisations) of each demo account, as built."""
        users = {u["username"] or u["cert_no"]: u["id"] for u in self.rows[User.__table__]}
        lines = []
        for username in DEMO_USERNAMES:
            identities = [i for i in self.rows[Identity.__table__] if i["user_id"] == users[username]]
            roles = "、".join(ROLE_LABELS[i["role"]] for i in identities)
            orgs = "、".join(self.row(_ORGS, i["organisation_id"])["name"] if i["organisation_id"] else "（无单位）"
                            for i in identities)
            lines.append((username, roles, orgs))
        return lines


class DirectoryPlanner:
    def __init__(self, rng: random.Random, people: People, city: City, now: datetime) -> None:
        self.rng, self.people, self.city, self.now = rng, people, city, now
        self.names = dict(city.profile.districts)
        self.d = Directory()
        self._mobiles: set[str] = set()
        # Every demo user has the same published password, so one argon2 hash (0.2 s here) serves them all.
        self._password_hash = hash_password(DEMO_PASSWORD)

    def plan(self, houses: int) -> Directory:
        d, profile = self.d, self.city.profile
        for code, name in profile.districts:
            d.district_ids[code] = d.add(District.__table__, dict(code=code, name=name, city=profile.city))["id"]
        communities = max(MIN_COMMUNITIES, round(houses / HOUSES_PER_COMMUNITY))
        used = self._districts_in_use(communities)
        platform = self._organisation("platform", f"{profile.city}住房资金管理中心", "12", None)
        authorities = {code: self._organisation("authority", self.names[code] + self.city.authority_suffix, "11",
                                                code, org_type="机关", competent_dept=self.city.competent_dept)
                       for code in d.district_ids}
        d.enterprises = [self._company("enterprise", name, slug, code)
                         for (name, slug), code in zip(ENTERPRISES, used)]
        d.developers = [d.row(_ORGS, self._company("developer", name, slug, used[0])) for name, slug in DEVELOPERS]
        enterprise_of = self._communities(communities, used)
        self._offices()
        for code, authority in authorities.items():
            self._user(self._reviewer_name(code), [("reviewer", authority)], department="维修资金管理部")
        self._demo_users(platform)
        self._associations(enterprise_of)
        # Imported here: services.demo.operators reads this module's planner.
        from services.demo.operators import plan_operators

        d.spare_people = plan_operators(self)
        self._register()
        # BJ-07: a key from before the system started, held by a former office user (BJ-26: in Beijing an
        # enterprise operator kept to the office's community). Key login is Beijing's: in Shanghai the key has no
        # identity, so it is listed but works nowhere. Planned last, so the other accounts keep their ids.
        legacy = [] if self.city.profile.community_offices else [("enterprise_operator", d.offices[0])]
        self._user(LEGACY_CERT_NO, legacy, username=None, cert_no=LEGACY_CERT_NO, legacy_key=True)
        self._otp_demo_user()
        return d

    def _otp_demo_user(self) -> None:
        """BY-08's demo account (its authenticator is enrolled by services.demo.otp_demo once the rows are in):
        a fixed person, so that no random draw, and none of the data after it, changes."""
        from services.identity.validators import id_card_check_char

        body = "31011519900101123"
        user = self.d.add(User.__table__, dict(
            username=OTP_DEMO_USER, mobile=OTP_DEMO_MOBILE, real_name="孔令", id_type="居民身份证",
            id_no=body + id_card_check_char(body), password_hash=self._password_hash, created_at=self.now))
        self._mobiles.add(OTP_DEMO_MOBILE)
        self.d.user_ids[OTP_DEMO_USER] = user["id"]
        self.d.add(Identity.__table__, dict(user_id=user["id"], organisation_id=self.d.enterprises[2],
                                            role="enterprise_operator", mobile=OTP_DEMO_MOBILE, created_at=self.now))

    def _register(self) -> None:
        """The enterprise register behind 质监校验 (BJ-25): every company under its name, except enterprise 1,
        whose registration already carries its new name, so that the demo can change the unit name."""
        for org in self.d.rows[_ORGS]:
            if org["kind"] in ("enterprise", "developer") and org["credit_code"]:
                name = org["name"]
                if org["id"] == self.d.enterprises[0]:
                    name = renamed_enterprise(name)
                self.d.add(EnterpriseRegister.__table__, dict(credit_code=org["credit_code"], name=name,
                                                             source="演示数据", updated_at=self.now))

    def _districts_in_use(self, communities: int) -> list[str]:
        """Home first, then a few others: four at the default size, every district for a big demo."""
        others = [code for code, _ in self.city.profile.districts if code != self.city.home_district]
        wanted = max(4, math.ceil(communities / MIN_COMMUNITIES))
        return [self.city.home_district] + self.rng.sample(others, min(len(others), wanted - 1))

    # -- organisations ------------------------------------------------------------------------------------

    def _organisation(self, kind: str, name: str, code_prefix: str, district: str | None, **extra) -> int:
        """Credit codes are registered with the district, or with the city for city-wide bodies."""
        area = district or self.city.profile.districts[0][0][:2] + "0000"
        credit, org_code = credit_code(self.rng, code_prefix, area)
        row = {c.name: None for c in _ORGS.columns if c.nullable}
        row.update(kind=kind, name=name, district_id=self.d.district_ids.get(district), credit_code=credit,
                   org_code=org_code, address=self._address(district), postcode=self._postcode(),
                   phone=self._landline(), created_at=self.now, **extra)
        return self.d.add(_ORGS, row)["id"]

    def _company(self, kind: str, suffix: str, slug: str, district: str) -> int:
        rng = self.rng
        boss, boss_id, boss_mobile = self.people.person()
        contact, _, contact_mobile = self.people.person()
        org_id = self._organisation(
            kind, self.city.short + suffix, "91", district,
            org_type="有限责任公司", legal_rep_name=boss, legal_rep_id_type="居民身份证", legal_rep_id_no=boss_id,
            legal_rep_phone=self._landline(), legal_rep_mobile=boss_mobile, contact_name=contact,
            contact_mobile=contact_mobile, other_phone=self._landline(), fax=self._landline(),
            email=f"service@{slug}.com.cn",
            founded_on=date(rng.randint(1993, 2012), rng.randint(1, 12), rng.randint(1, 28)),
            registered_capital_fen=rng.choice((100, 300, 500, 1000, 2000)) * 1_000_000,  # 万元; INTEGER caps it
            ownership=rng.choice(("国有", "私营", "股份制")), economic_type="有限责任公司",
            competent_dept=self.city.competent_dept, industry="物业管理" if kind == "enterprise" else "房地产开发经营",
            legal_person="是",
        )
        row = self.d.row(_ORGS, org_id)
        # Since the three licences merged (三证合一), the licence and tax numbers are the credit code.
        row.update(office_address=row["address"], office_postcode=row["postcode"], licence_no=row["credit_code"],
                   tax_no=row["credit_code"])
        return org_id

    def _offices(self) -> None:
        """Enterprise 1 runs its first two communities through 小区管理处."""
        d = self.d
        enterprise = d.row(_ORGS, d.enterprises[0])
        for plan in d.communities[:2]:
            community = d.row(_COMMUNITIES, plan.id)
            contact, _, mobile = self.people.person()
            row = {c.name: None for c in _ORGS.columns if c.nullable}
            row.update(kind="office", parent_id=enterprise["id"], district_id=enterprise["district_id"],
                       name=f"{enterprise['name']}{community['name']}管理处", address=community["address"],
                       postcode=self._postcode(), phone=self._landline(), contact_name=contact,
                       contact_mobile=mobile, created_at=self.now)
            d.offices.append(d.add(_ORGS, row)["id"])
            d.add(OfficeCommunity.__table__, dict(office_id=row["id"], community_id=plan.id))

    def _address(self, district: str | None) -> str:
        return f"{self.city.profile.city}{self.names.get(district, '')}{road_address(self.rng)}号"

    def _postcode(self) -> str:
        return f"{self.city.postcode}{self.rng.randrange(1000):03d}"

    def _landline(self) -> str:
        return f"{self.city.phone_area}-{self.rng.randint(5, 8)}{self.rng.randrange(10**7):07d}"

    # -- communities ---------------------------------------------------------------------------------------

    def _communities(self, count: int, used: list[str]) -> list[int]:
        """Spread over the districts in use, home first. Enterprise 1 serves every community of the home
        district; the others alternate between enterprises 2 and 3. Returns each one's enterprise index."""
        d = self.d
        per_district = [count // len(used) + (i < count % len(used)) for i in range(len(used))]
        taken: set[tuple[str, str]] = set()
        enterprise_of = []
        for district_index, (code, n) in enumerate(zip(used, per_district)):
            for _ in range(n):
                developer = self.rng.choice(d.developers)
                row = d.add(_COMMUNITIES, dict(
                    name=self._community_name(code, taken), district_id=d.district_ids[code],
                    developer_id=developer["id"],
                    address=f"{self.names[code]}{road_address(self.rng)}{self.city.address_suffix}",
                    created_at=self.now,
                ))
                row["code"] = f"XQ{code}{row['id']:05d}"
                d.communities.append(CommunityPlan(row["id"], code, developer))
                enterprise_of.append(0 if district_index == 0 else 1 + len(enterprise_of) % 2)
        return enterprise_of

    def _community_name(self, district: str, taken: set[tuple[str, str]]) -> str:
        while True:
            name = self.rng.choice(COMMUNITY_STEMS) + self.rng.choice(COMMUNITY_SUFFIXES)
            if (district, name) not in taken:
                taken.add((district, name))
                return name

    def _associations(self, enterprise_of: list[int]) -> None:
        """Each filed by a user of the enterprise, approved the next day by the district's reviewer, and
        numbered GL + day + serial of the day."""
        d = self.d
        filers = (d.user_ids["qyadmin"], d.user_ids["duoshenfen"], d.user_ids["duoshenfen"])
        reviewers = {code: d.user_ids[self._reviewer_name(code)] for code in d.district_ids}
        prefix = PREFIXES["association"]
        last_of_day: dict[str, int] = {}
        for index, (plan, enterprise) in enumerate(zip(d.communities, enterprise_of)):
            day = ASSOCIATIONS_FROM + timedelta(days=index // ASSOCIATIONS_PER_DAY)
            serial = index % ASSOCIATIONS_PER_DAY + 1
            submitted = datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_ZONE) + timedelta(minutes=15 * serial)
            last_of_day[f"{day:%Y%m%d}"] = serial
            d.add(Association.__table__, dict(
                enterprise_id=d.enterprises[enterprise], community_id=plan.id, status="approved",
                application_no=f"{prefix}{day:%Y%m%d}{serial:06d}", submitted_by=filers[enterprise],
                submitted_at=submitted.astimezone(timezone.utc), reviewed_by=reviewers[plan.district_code],
                reviewed_at=(submitted + timedelta(days=1, hours=2)).astimezone(timezone.utc),
            ))
        # So that numbering carries on after these instead of handing out the same numbers again.
        for day, last in last_of_day.items():
            d.add(NumberCounter.__table__, dict(prefix=prefix, day=day, last=last))

    # -- users -----------------------------------------------------------------------------------------------

    def _reviewer_name(self, district: str) -> str:
        """The home district's reviewer is the demo account `shenhe`."""
        return "shenhe" if district == self.city.home_district else f"shenhe{district}"

    def _demo_users(self, platform: int) -> None:
        """BJ-26: Beijing has no office role, so its office user is an enterprise operator of the office."""
        d = self.d
        e1, e2, e3 = d.enterprises
        office_role = "office_operator" if self.city.profile.community_offices else "enterprise_operator"
        self._user("qyadmin", [("enterprise_admin", e1)])
        self._user("qyjb", [("enterprise_operator", e1)])
        self._user("xqjb", [(office_role, d.offices[0])],
                   mobile=XQJB_MOBILE if self.city.profile.mobile_login else None)
        self._user("admin", [("sysadmin", platform)], department="信息中心")
        self._user("duoshenfen", [("enterprise_admin", e2), ("enterprise_operator", e3)])
        self._user("zhuce", [("registrant", None)])

    def _user(self, key: str, identities: list[tuple[str, int | None]], department: str | None = None,
              *, username: str | None = "", mobile: str | None = None, **extra) -> None:
        name, id_no, _ = self.people.person()
        drawn = self._unique_mobile()  # drawn even when fixed, so the people after keep theirs
        if mobile is None:
            mobile = drawn
        else:  # a number the login screen's demo list names (SH-11)
            self._mobiles.add(mobile)
        user = self.d.add(User.__table__, dict(
            username=key if username == "" else username, mobile=mobile, real_name=name, id_type="居民身份证",
            id_no=id_no, password_hash=self._password_hash, created_at=self.now, **extra,
        ))
        username = key
        self.d.user_ids[username] = user["id"]
        for role, organisation in identities:
            self.d.add(Identity.__table__, dict(user_id=user["id"], organisation_id=organisation, role=role,
                                                mobile=mobile, department=department, created_at=self.now))

    def _unique_mobile(self) -> str:
        while (mobile := self.people.mobile()) in self._mobiles:
            pass
        self._mobiles.add(mobile)
        return mobile
