"""操作员管理 and 用户审核 driven by keys at 80×24 on the Shanghai demo: the screens and the database."""

from __future__ import annotations

from sqlalchemy import func, select

from models import Identity, RealNameRequest, User
from screens.admin.operator_forms import AddOperatorDialog, ModifyOperatorDialog
from screens.admin.operators import OperatorListScreen
from screens.admin.real_name import RealNameScreen
from screens.admin.user_review import UserReviewScreen
from screens.common.dialogs import ConfirmDialog, NoticeDialog
from screens.identity.login import LoginScreen
from services.admin import operators as ops
from services.admin import realname
from services.admin.verification import MISMATCH
from services.core.functions import functions_for
from services.demo.accounts import DEMO_PASSWORD
from services.identity.passwords import hash_password
from tests.admin_fixtures import identity_of, org_id, register, spare_person
from tests.pilot import login, settle, text_of, type_text, wait_for
from tui.row_list import RowList

SIZE = (80, 24)


async def open_function(pilot, key: str) -> None:
    keys = [f.key for f in functions_for(pilot.app.actor)]
    await pilot.press(*["down"] * keys.index(key), "enter")
    await settle(pilot)


async def open_operators(pilot, username: str = "qyadmin") -> RowList:
    await login(pilot, username, DEMO_PASSWORD)
    await open_function(pilot, "operators")
    assert isinstance(pilot.app.screen, OperatorListScreen)
    return pilot.app.screen.query_one(RowList)


def shown_ids(rows: RowList) -> list[str]:
    return [row[1] for row in rows.rows]


def _users(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(User)).scalar_one()


async def test_filter_combinations(make_sh_app, sh_db):
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = await open_operators(pilot)
        assert len(rows.rows) == 21 and text_of(app, "#page-info").startswith("共 21 条")
        assert "****" in rows.rows[0][3]
        await pilot.press("tab", "tab")  # from the list round to 操作员姓名
        with sh_db.read() as s:
            name = s.execute(select(User.real_name).where(User.username == "qyjb")).scalar_one()
        await type_text(pilot, name)
        await pilot.press("enter")
        await settle(pilot)
        assert "qyjb" in shown_ids(rows) and len(rows.rows) < 21
        await pilot.press("f6")  # 重新筛选
        await settle(pilot)
        assert len(rows.rows) == 21 and text_of(app, "#name") == ""
        await pilot.press("tab", "right", "right", "f5")  # 操作员状态 ‹停用›
        await settle(pilot)
        assert [r[6] for r in rows.rows] == ["停用", "停用"]
        await pilot.press("tab", "right", "right", "f5")  # and 操作员类别 ‹小区管理处›: none
        await settle(pilot)
        assert rows.rows == [] and "暂无数据" in str(rows.render_line(1).text)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("right", "right", "f5")  # still on 操作员类别, now alone
        await settle(pilot)
        assert len(rows.rows) == 7 and {r[5] for r in rows.rows} == {"小区管理处"}


async def _fill_add(pilot, name: str, mobile: str, *, office: bool) -> None:
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AddOperatorDialog)
    await type_text(pilot, name)
    await pilot.press("enter", "enter")  # to 部门名称, and 【选择】
    await settle(pilot)
    await pilot.press(*(["down"] if office else []), "enter")
    await settle(pilot)
    await type_text(pilot, mobile)
    await pilot.press("f2")
    await settle(pilot)


async def test_add_with_a_matching_and_a_mismatching_mobile(make_sh_app, sh_db):
    app = make_sh_app()
    name, mobile = spare_person(sh_db)
    async with app.run_test(size=SIZE) as pilot:
        rows = await open_operators(pilot)
        before = _users(sh_db)
        await _fill_add(pilot, name + "华", mobile, office=True)
        assert isinstance(app.screen, AddOperatorDialog)
        assert text_of(app, "#form-message") == MISMATCH and _users(sh_db) == before
        await pilot.press("escape")
        await _fill_add(pilot, name, mobile, office=True)
        assert isinstance(app.screen, NoticeDialog) and "操作员ID：" in app.screen.body
        operator_id = app.screen.body.split("操作员ID：")[1].split("\n")[0]
        await pilot.press("enter")
        await settle(pilot)
        assert operator_id in shown_ids(rows)
    with sh_db.read() as s:
        user = s.execute(select(User).where(User.username == operator_id)).scalar_one()
        identity = s.execute(select(Identity).where(Identity.user_id == user.id)).scalar_one()
    assert (user.real_name, user.mobile, user.must_change_password) == (name, mobile, True)
    assert (identity.role, identity.organisation_id) == ("office_operator", org_id(sh_db, "office"))


async def test_sh09_conflict_is_shown_at_the_mobile(make_sh_app, sh_db):
    app = make_sh_app()
    office_clerk = identity_of(sh_db, "xqjb")
    with sh_db.read() as s:
        name = s.get(User, office_clerk.user_id).real_name
    async with app.run_test(size=SIZE) as pilot:
        await open_operators(pilot)
        before = _users(sh_db)
        await _fill_add(pilot, name, office_clerk.mobile, office=False)
        assert text_of(app, "#form-message") == ops.SH09_CONFLICT and _users(sh_db) == before
        assert app.screen.focused.id == "mobile"


async def test_modify_mobile_and_status(make_sh_app, sh_db):
    app = make_sh_app()
    target = identity_of(sh_db, "qyjb")
    with sh_db.read() as s:
        name = s.get(User, target.user_id).real_name
    register(sh_db, name, "13911112222")
    async with app.run_test(size=SIZE) as pilot:
        rows = await open_operators(pilot)
        await pilot.press("down", "f4")
        await settle(pilot)
        assert isinstance(app.screen, ModifyOperatorDialog) and app.screen.detail.mobile == target.mobile
        await pilot.press("end", *["backspace"] * 11)
        await type_text(pilot, "13911112222")
        await pilot.press("tab", "right", "f2")  # 操作员状态 ‹停用›
        await settle(pilot)
        assert isinstance(app.screen, OperatorListScreen)
        assert rows.rows[1][1] == "qyjb" and rows.rows[1][6] == "停用" and rows.rows[1][3] == "139****2222"
    changed = identity_of(sh_db, "qyjb")
    assert (changed.mobile, changed.status, changed.version) == ("13911112222", "disabled", target.version + 1)


async def test_a_stale_modify_is_refused(make_sh_app, sh_db, sh_actor):
    app = make_sh_app()
    target = identity_of(sh_db, "qyjb")
    async with app.run_test(size=SIZE) as pilot:
        await open_operators(pilot)
        await pilot.press("down", "f4")
        await settle(pilot)
        ops.disable_operator(sh_db, sh_actor("qyadmin"), target.id, target.version)  # another administrator
        await pilot.press("tab", "left", "f2")
        await settle(pilot)
        assert text_of(app, "#form-message") == "该记录已被他人修改，请刷新后重试"
    assert identity_of(sh_db, "qyjb").status == "disabled"


async def test_delete_then_the_login_fails(make_sh_app, sh_db):
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = await open_operators(pilot)
        await pilot.press("down", "down", "f8")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and "xqjb" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert rows.rows[2][1] == "xqjb" and rows.rows[2][6] == "停用"
        await pilot.press("escape", "f10")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login(pilot, "xqjb", DEMO_PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert text_of(app, "#username-error") == "账户已停用，请联系单位管理员"
    assert identity_of(sh_db, "xqjb").status == "disabled"


async def test_an_open_session_ends_once_its_operator_is_disabled(make_sh_app, sh_db, sh_actor):
    admin = sh_actor("qyadmin")
    name, mobile = spare_person(sh_db)
    second = ops.add_operator(sh_db, admin, ops.NewOperator(name, admin.organisation_id, mobile, "enterprise_admin"),
                              "shanghai")
    with sh_db.write() as s:
        user = s.get(User, s.get(Identity, second.identity_id).user_id)
        user.password_hash, user.must_change_password = hash_password(DEMO_PASSWORD), False
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_operators(pilot, second.operator_id)
        with sh_db.read() as s:
            version = s.get(Identity, second.identity_id).version
        ops.disable_operator(sh_db, admin, second.identity_id, version)
        await pilot.press("f5")
        await settle(pilot)
        assert await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.actor is None


async def test_review_approve_and_reject(make_sh_app, sh_db, sh_actor):
    from models import OutboxMessage

    clerk = sh_actor("qyjb")
    realname.submit_request(sh_db, clerk, realname.RequestForm("叶瑶咏", "居民身份证", "11010519491231002X",
                                                               clerk_mobile := identity_of(sh_db, "qyjb").mobile))
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await open_function(pilot, "user_review")
        assert isinstance(app.screen, UserReviewScreen)
        rows = app.screen.query_one(RowList)
        assert [r[1] for r in rows.rows] == ["100023", "qyjb"]
        await pilot.press("f2", "y")  # 通过 the demo's request
        await settle(pilot)
        assert [r[1] for r in rows.rows] == ["qyjb"]
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("enter")  # no reason: refused at the field
        assert "驳回原因" in text_of(app, "#reason-error")
        await type_text(pilot, "证件号码与身份证不符")
        await pilot.press("enter")
        await settle(pilot)
        assert rows.rows == []
    with sh_db.read() as s:
        decided = {r.user_id: r for r in s.execute(select(RealNameRequest)).scalars()}
        texts = [m.text for m in s.execute(select(OutboxMessage).where(OutboxMessage.template.like("realname%")))
                 .scalars()]
    assert decided[clerk.user_id].status == "rejected" and decided[clerk.user_id].reason == "证件号码与身份证不符"
    assert sorted(r.status for r in decided.values()) == ["approved", "rejected"]
    assert len(texts) == 2 and any("证件号码与身份证不符" in t for t in texts) and clerk_mobile
    # The requester sees the result at the next login, once.
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        assert await wait_for(pilot, lambda: any("驳回" in str(n.message) for n in app._notifications))
    assert realname.unseen_results(sh_db, sh_actor("qyjb")) == []


async def test_a_subordinate_files_a_request_from_their_own_screen(make_sh_app, sh_db):
    app = make_sh_app()
    mobile = identity_of(sh_db, "qyjb").mobile
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await open_function(pilot, "real_name")
        assert isinstance(app.screen, RealNameScreen)
        await pilot.press("enter", "tab")  # name kept, 证件类型 kept
        await type_text(pilot, "11010519491231002x")
        await pilot.press("enter")
        await type_text(pilot, mobile)
        await pilot.press("enter")
        await settle(pilot)
        assert "待审核" in text_of(app, "#state")
    with sh_db.read() as s:
        request = s.execute(select(RealNameRequest).order_by(RealNameRequest.id.desc())).scalars().first()
    assert (request.id_no, request.status, request.mobile) == ("11010519491231002X", "pending", mobile)


async def test_beijing_adds_to_the_enterprise_alone(make_demo_app, demo_db):
    """BJ-26: no 小区管理处 in Beijing, so the department is the enterprise without a choice."""
    app = make_demo_app()
    name, mobile = spare_person(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        rows = await open_operators(pilot)
        assert "qyadmin" in shown_ids(rows)
        await pilot.press("f2")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("DepartmentField").department.kind == "enterprise"
        await pilot.press("f3")
        await settle(pilot)
        assert [d.kind for d in app.screen.departments] == ["enterprise"]
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, mobile)
        await pilot.press("shift+tab", "shift+tab")
        await type_text(pilot, name)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
    with demo_db.read() as s:
        user = s.execute(select(User).where(User.mobile == mobile)).scalar_one()
        identity = s.execute(select(Identity).where(Identity.user_id == user.id)).scalar_one()
    assert identity.role == "enterprise_operator" and identity.organisation_id == org_id(demo_db, "enterprise")


async def test_the_filtered_list_exports_to_xlsx(make_sh_app, sh_db, tmp_path, monkeypatch):
    import io

    from openpyxl import load_workbook

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    downloads = tmp_path / "home" / "Downloads"
    app = make_sh_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_operators(pilot)
        await pilot.press("tab", "tab", "tab", "right", "f5")  # 操作员状态 ‹正常使用›
        await settle(pilot)
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: downloads.exists() and any(downloads.iterdir()))
    saved = next(downloads.iterdir())
    assert saved.name.startswith("操作员列表") and saved.suffix == ".xlsx"
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(saved.read_bytes())).active.iter_rows()]
    assert rows[0] == ["序号", "操作员ID", "操作员姓名", "操作员手机号", "部门名称", "角色", "状态"]
    assert len(rows) == 1 + 19 and {r[6] for r in rows[1:]} == {"正常使用"}
    assert rows[1][0] == 1 and rows[1][1] == "qyadmin" and "****" in rows[1][3]
