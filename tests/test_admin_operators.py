"""操作员管理 services: scope and isolation, filters, keyset pages, add / modify / disable with their rules."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from models import AuditEntry, BusinessLog, Identity, User
from services.admin import operators as ops
from services.admin import operators_query as q
from services.admin.verification import MISMATCH
from services.core.errors import NotFound, PermissionDenied, ServiceError, SessionEnded, StaleRecord
from services.demo.accounts import DEMO_PASSWORD
from services.identity import auth
from tests.admin_fixtures import identity_of, org_id, register, spare_person


def _count(db, model, *where) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _audit(db, action: str) -> dict:
    with db.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
                          ).scalars().first()
    return json.loads(entry.detail)


def _add(db, actor, name, mobile, *, department=None, role="enterprise_operator", profile="shanghai"):
    department = department or actor.organisation_id
    return ops.add_operator(db, actor, ops.NewOperator(name, department, mobile, role, "备注"), profile)


def test_the_list_holds_the_enterprise_and_its_offices_only(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    page = q.list_operators(sh_db, admin, q.OperatorFilter())
    names = {r.operator_id for r in page.rows}
    assert {"qyadmin", "qyjb", "xqjb"} <= names and "duoshenfen" not in names
    assert page.total == len(page.rows) == 3 + 12 + 6
    assert all("****" in r.mobile_masked and len(r.mobile_masked) == 11 for r in page.rows)
    other = sh_actor("duoshenfen")  # enterprise 2's administrator
    assert [r.operator_id for r in q.list_operators(sh_db, other, q.OperatorFilter()).rows] == ["duoshenfen"]


def test_filters_combine(sh_db, sh_actor):
    admin = sh_actor("qyadmin")

    def ids(**kw):
        return [r.operator_id for r in q.list_operators(sh_db, admin, q.OperatorFilter(**kw)).rows]

    assert ids(operator_id="qyjb") == ["qyjb"]
    assert ids(operator_id=" qyjb ", status="disabled") == []
    assert len(ids(status="disabled")) == 2
    assert len(ids(category="office")) == 7
    assert len(ids(category="enterprise", status="active")) == 12
    with sh_db.read() as s:
        name = s.execute(select(User.real_name).where(User.username == "qyjb")).scalar_one()
    assert "qyjb" in ids(name=name[1:])
    assert ids(name="%") == [] and ids(name="_") == []  # LIKE wildcards are literal
    office = q.list_operators(sh_db, admin, q.OperatorFilter(operator_id="xqjb")).rows[0].department
    assert len(ids(unit_name=office[-6:])) == 4
    detail = q.operator_detail(sh_db, admin, identity_of(sh_db, "qyjb").id)
    assert len(ids(unit_code=detail.unit_code.lower())) == 2 + 12
    with pytest.raises(ServiceError) as err:
        ids(name="x" * 41)
    assert err.value.field == "name"


def test_keyset_pages_walk_forward_and_back(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    flt = q.OperatorFilter()
    first = q.list_operators(sh_db, admin, flt, page_size=8)
    assert (len(first.rows), first.total, first.has_next, first.has_previous) == (8, 21, True, False)
    second = q.list_operators(sh_db, admin, flt, after=first.rows[-1].identity_id, page_size=8)
    third = q.list_operators(sh_db, admin, flt, after=second.rows[-1].identity_id, page_size=8)
    assert (len(third.rows), third.has_next, third.has_previous) == (5, False, True)
    every = [r.identity_id for p in (first, second, third) for r in p.rows]
    assert every == sorted(every) and len(set(every)) == 21
    back = q.list_operators(sh_db, admin, flt, before=third.rows[0].identity_id, page_size=8)
    assert back.rows == second.rows and back.has_next and back.has_previous
    assert len(q.all_rows(sh_db, admin, flt)) == 21


def test_detail_shows_the_whole_mobile(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    target = identity_of(sh_db, "qyjb")
    detail = q.operator_detail(sh_db, admin, target.id)
    assert detail.mobile == target.mobile and dict(detail.lines())["手机号码"] == target.mobile
    assert "*" in dict(detail.lines())["证件号码"]


def test_an_administrator_of_enterprise_b_can_neither_see_nor_change_a(sh_db, sh_actor):
    other = sh_actor("duoshenfen")
    target = identity_of(sh_db, "qyjb")
    for call in (lambda: q.operator_detail(sh_db, other, target.id),
                 lambda: ops.modify_operator(sh_db, other, target.id, target.version, mobile=target.mobile,
                                             status="disabled"),
                 lambda: ops.disable_operator(sh_db, other, target.id, target.version)):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(ServiceError):
        _add(sh_db, other, *spare_person(sh_db), department=org_id(sh_db, "office"), role="office_operator")
    assert identity_of(sh_db, "qyjb").status == "active"


def test_a_plain_operator_reaches_none_of_it(sh_db, sh_actor):
    for username in ("qyjb", "xqjb"):
        clerk = sh_actor(username)
        target = identity_of(sh_db, "qyadmin")
        for call in (lambda: q.list_operators(sh_db, clerk, q.OperatorFilter()),
                     lambda: q.operator_detail(sh_db, clerk, target.id),
                     lambda: ops.departments(sh_db, clerk, "shanghai"),
                     lambda: _add(sh_db, clerk, *spare_person(sh_db)),
                     lambda: ops.modify_operator(sh_db, clerk, target.id, 1, mobile="13800000000", status="active"),
                     lambda: ops.disable_operator(sh_db, clerk, target.id, 1)):
            with pytest.raises(PermissionDenied):
                call()


def test_add_with_a_matching_name_and_mobile(sh_db, sh_actor):
    from models import OutboxMessage

    admin = sh_actor("qyadmin")
    name, mobile = spare_person(sh_db)
    office = org_id(sh_db, "office")
    added = _add(sh_db, admin, name, mobile, department=office, role="office_operator")
    assert added.operator_id.isdigit() and added.mobile_masked == mobile[:3] + "****" + mobile[-4:]
    with sh_db.read() as s:
        user = s.execute(select(User).where(User.username == added.operator_id)).scalar_one()
        identity = s.get(Identity, added.identity_id)
        [sms] = s.execute(select(OutboxMessage).where(OutboxMessage.user_id == user.id)).scalars().all()
    assert (user.real_name, user.mobile, user.must_change_password) == (name, mobile, True)
    assert (identity.organisation_id, identity.role, identity.remark) == (office, "office_operator", "备注")
    assert (sms.channel, sms.recipient) == ("sms", mobile) and added.operator_id in sms.text
    password = sms.text.split("初始密码")[1].split("，")[0]
    login = auth.authenticate(sh_db, added.operator_id, password)
    assert login.must_change_password and login.identities[0].role == "office_operator"
    assert _audit(sh_db, "新增操作员")["new"]["mobile"] == mobile
    assert password not in json.dumps(_audit(sh_db, "新增操作员"), ensure_ascii=False)


def test_add_with_a_mismatching_name_saves_nothing(sh_db, sh_actor):
    from models import OutboxMessage

    admin = sh_actor("qyadmin")
    name, mobile = spare_person(sh_db)
    users, messages = _count(sh_db, User), _count(sh_db, OutboxMessage)
    with pytest.raises(ServiceError) as err:
        _add(sh_db, admin, name + "明", mobile)
    assert (err.value.message, err.value.field) == (MISMATCH, "mobile")
    with pytest.raises(ServiceError) as err:
        _add(sh_db, admin, "张三", "13912345678")  # not in the register at all
    assert err.value.message == MISMATCH
    assert (_count(sh_db, User), _count(sh_db, OutboxMessage)) == (users, messages)
    assert _count(sh_db, BusinessLog, BusinessLog.business_type == "新增操作员") == 0


def test_sh09_one_mobile_never_holds_an_enterprise_and_an_office_identity(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    office_clerk = identity_of(sh_db, "xqjb")
    with sh_db.read() as s:
        name = s.execute(select(User.real_name).where(User.id == office_clerk.user_id)).scalar_one()
    with pytest.raises(ServiceError) as err:
        _add(sh_db, admin, name, office_clerk.mobile)  # as an enterprise operator
    assert err.value.message == ops.SH09_CONFLICT == (
        "该手机号已绑定维修资金系统物业企业（含小区管理处）角色，请重新输入正确的手机号。")


def test_departments_and_roles(sh_db, sh_actor, demo_db, actor_of):
    admin = sh_actor("qyadmin")
    departments = ops.departments(sh_db, admin, "shanghai")
    assert [d.kind for d in departments] == ["enterprise", "office", "office"]
    assert [r for r, _ in departments[1].roles] == ["office_operator"]
    name, mobile = spare_person(sh_db)
    with pytest.raises(ServiceError) as err:
        _add(sh_db, admin, name, mobile, department=departments[1].id, role="enterprise_admin")
    assert err.value.field == "role"
    beijing = actor_of("qyadmin")  # BJ-26: the enterprise alone
    assert [d.kind for d in ops.departments(demo_db, beijing, "beijing")] == ["enterprise"]
    office = org_id(demo_db, "office")
    with pytest.raises(ServiceError) as err:
        _add(demo_db, beijing, "张三", "13912345678", department=office, role="office_operator", profile="beijing")
    assert err.value.field == "department"


def test_modify_changes_mobile_after_a_new_check_and_status(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    target = identity_of(sh_db, "qyjb")
    with sh_db.read() as s:
        name = s.execute(select(User.real_name).where(User.id == target.user_id)).scalar_one()
    with pytest.raises(ServiceError) as err:
        ops.modify_operator(sh_db, admin, target.id, target.version, mobile="13900001111", status="active")
    assert err.value.message == MISMATCH
    register(sh_db, name, "13900001111")
    version = ops.modify_operator(sh_db, admin, target.id, target.version, mobile="13900001111", status="disabled")
    with sh_db.read() as s:
        identity, user = s.get(Identity, target.id), s.get(User, target.user_id)
    assert (identity.mobile, user.mobile, identity.status, user.status, identity.version) == (
        "13900001111", "13900001111", "disabled", "disabled", version)
    detail = _audit(sh_db, "修改操作员")
    assert detail["old"] == {"mobile": target.mobile, "status": "active"}
    assert detail["new"] == {"mobile": "13900001111", "status": "disabled"}
    with pytest.raises(ServiceError) as err:
        auth.authenticate(sh_db, "qyjb", DEMO_PASSWORD)
    assert "停用" in err.value.message
    ops.modify_operator(sh_db, admin, target.id, version, mobile="13900001111", status="active")
    assert auth.authenticate(sh_db, "qyjb", DEMO_PASSWORD).identities


def test_the_second_of_two_edits_is_refused(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    target = identity_of(sh_db, "qyjb")
    ops.disable_operator(sh_db, admin, target.id, target.version)
    with pytest.raises(StaleRecord) as err:
        ops.modify_operator(sh_db, admin, target.id, target.version, mobile=target.mobile, status="active")
    assert err.value.message == "该记录已被他人修改，请刷新后重试"
    assert identity_of(sh_db, "qyjb").status == "disabled"


def test_delete_disables_and_keeps_the_row(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    target = identity_of(sh_db, "xqjb")
    users = _count(sh_db, User)
    ops.disable_operator(sh_db, admin, target.id, target.version)
    assert _count(sh_db, User) == users and identity_of(sh_db, "xqjb").status == "disabled"
    assert _count(sh_db, BusinessLog, BusinessLog.business_type == "删除操作员") == 1
    with pytest.raises(ServiceError) as err:
        auth.authenticate(sh_db, "xqjb", DEMO_PASSWORD)
    assert err.value.message == "账户已停用，请联系单位管理员"


def test_no_administrator_disables_themselves_or_the_last_one(sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    me = identity_of(sh_db, "qyadmin")
    with pytest.raises(ServiceError) as err:
        ops.disable_operator(sh_db, admin, me.id, me.version)
    assert err.value.message == "不能停用自己的账户"
    name, mobile = spare_person(sh_db)
    second = _add(sh_db, admin, name, mobile, role="enterprise_admin")
    with sh_db.write() as s:  # the second administrator sets their own password and logs in
        from services.identity.passwords import hash_password
        s.get(User, s.get(Identity, second.identity_id).user_id).password_hash = hash_password(DEMO_PASSWORD)
    other = sh_actor(second.operator_id)
    ops.disable_operator(sh_db, other, me.id, me.version)
    assert identity_of(sh_db, "qyadmin").status == "disabled"
    with pytest.raises(SessionEnded):  # qyadmin's open session ends at its next action
        q.list_operators(sh_db, admin, q.OperatorFilter())
    with sh_db.read() as s:
        version = s.get(Identity, second.identity_id).version
    with pytest.raises(ServiceError) as err:
        ops.disable_operator(sh_db, other, second.identity_id, version)
    assert err.value.message == "不能停用自己的账户"
