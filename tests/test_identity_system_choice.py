"""SH-05: every Shanghai login goes through the 统一登录平台's 确认选择 of the system and, for an account with
several identities, the choice of role after it (the manual: 注：存在同一账号有多重身份的可能，需进行角色选择后登录).
Beijing logs in straight to the home screen."""

import pytest
from sqlalchemy import select

from models import BusinessLog
from screens.identity.identity import IdentityScreen
from screens.identity.login import LoginScreen
from screens.identity.system_choice import SystemChoiceScreen
from screens.shell.home import HomeScreen
from tests.builders import PASSWORD
from tests.pilot import confirm_system, login, settle, text_of, type_text


@pytest.fixture
def people(build):
    org = build.organisation(name="申大物业服务有限公司")
    other = build.organisation(name="浦江物业服务有限公司")
    build.user("qyjb", roles=(("enterprise_operator", org.id),), real_name="王芳")
    build.user("duo", roles=(("enterprise_admin", org.id), ("enterprise_operator", other.id)), real_name="李强")
    return org, other


def logins(db) -> list[str]:
    with db.read() as s:
        return s.execute(select(BusinessLog.summary).where(BusinessLog.business_type == "登录")
                         .order_by(BusinessLog.id)).scalars().all()


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def test_a_user_name_login_confirms_the_system_then_works(make_app, people, db):
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD, choose_system=False)
        assert isinstance(app.screen, SystemChoiceScreen)
        assert "统一登录平台" in screen_text(app) and "请选择要进入的系统" in screen_text(app)
        systems = app.screen.query_one("#systems")
        assert str(systems.get_option_at_index(systems.highlighted).prompt) == "上海市房屋维修资金管理系统"
        await confirm_system(pilot)
        assert isinstance(app.screen, HomeScreen) and "角色：企业经办人" in text_of(app, "#who")
    assert logins(db) == ["王芳以企业经办人身份登录"]


async def test_several_identities_choose_the_system_then_the_role(make_app, people, db):
    _, other = people
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "duo", PASSWORD, choose_system=False)
        assert isinstance(app.screen, SystemChoiceScreen) and app.actor is None
        assert logins(db) == []  # nobody has entered yet
        await confirm_system(pilot)
        assert isinstance(app.screen, IdentityScreen)
        assert "请选择登录角色" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.organisation_id == other.id and app.actor.role == "enterprise_operator"
        assert "浦江物业服务有限公司" in text_of(app, "#who")
    assert logins(db) == ["李强以企业经办人身份登录"]


async def test_the_login_helper_confirms_the_system_for_shanghai_tests(make_app, people):
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        assert isinstance(app.screen, HomeScreen)


async def test_escape_before_the_role_goes_back_to_the_login(make_app, people, db):
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "duo", PASSWORD, choose_system=False)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.actor is None
        assert text_of(app, "#login-message") == "已取消登录，请重新登录"
        assert app.screen.focused.id == "password"
        await type_text(pilot, PASSWORD)  # the user name is kept: the password and a new captcha again
        await pilot.press("enter")
        await type_text(pilot, app.screen.captcha.code)
        await pilot.press("enter")
        await settle(pilot)
        await confirm_system(pilot)
        assert isinstance(app.screen, IdentityScreen)
    assert logins(db) == []


async def test_escape_over_the_started_session_logs_out(make_app, people, db):
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD, choose_system=False)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.actor is None
    with db.read() as s:
        types = s.execute(select(BusinessLog.business_type).order_by(BusinessLog.id)).scalars().all()
    assert types == ["登录", "退出登录"]


async def test_beijing_goes_straight_to_home(make_app, people):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD, choose_system=False)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f10")
        await settle(pilot)
        await login(pilot, "duo", PASSWORD, choose_system=False)
        assert isinstance(app.screen, IdentityScreen) and "请选择登录身份" in screen_text(app)
