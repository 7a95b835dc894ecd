import pytest
from sqlalchemy import select

from models import BusinessLog, User
from screens.shell.home import HomeScreen
from screens.identity.login import LoginScreen
from tests.builders import PASSWORD
from tests.pilot import login, settle, text_of


@pytest.fixture
def people(build):
    org = build.organisation(name="安居物业服务有限公司")
    other = build.organisation(name="万家物业服务有限公司")
    build.user("qyjb", roles=(("enterprise_operator", org.id),), real_name="王芳")
    build.user("duo", roles=(("enterprise_admin", org.id), ("enterprise_operator", other.id)), real_name="李强",
               mobile="13900000002")
    return org, other


async def test_login_lands_on_home_with_user_org_and_role(make_app, people):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        who = text_of(app, "#who")
        assert "王芳" in who and "安居物业服务有限公司" in who and "企业经办人" in who
        assert app.title == "北京市住宅专项维修资金管理系统"


async def test_wrong_password_message_at_the_password_field(make_app, people, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", "wrong-pass1")
        assert isinstance(app.screen, LoginScreen)
        assert text_of(app, "#password-error") == "用户名或密码错误"
        assert text_of(app, "#password") == ""
    with db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "qyjb")).scalar_one() == 1


async def test_wrong_captcha_draws_a_new_one(make_app, people, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.screen.captcha.code
        await login(pilot, "qyjb", PASSWORD, captcha="ZZZZ")
        assert text_of(app, "#captcha-error") == "验证码错误，请重新输入"
        second = app.screen.captcha.code
        assert second != first  # equal only once in 390,625 draws
        await pilot.press("f5")
        assert app.screen.captcha.code != second


async def test_lockout_after_five_failures_says_until_when(make_app, people, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            app.screen.query_one("#username").value = ""
            app.screen.query_one("#username").focus()
            await login(pilot, "qyjb", "wrong-pass1")
        message = text_of(app, "#password-error")
        assert "账户已锁定" in message and "后再试" in message
        app.screen.query_one("#username").value = ""
        app.screen.query_one("#username").focus()
        await login(pilot, "qyjb", PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert "账户已锁定" in text_of(app, "#password-error")


async def test_empty_fields_get_messages(make_app, people):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        assert text_of(app, "#username-error") == "请输入用户名"
        await login(pilot, "qyjb", "", captcha="")
        assert text_of(app, "#password-error") == "请输入密码"


async def test_key_login_switches_the_first_field(make_app, build):
    org = build.organisation()
    build.user("keyholder", roles=(("enterprise_admin", org.id),), cert_no="BJ0012345678")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        assert "证书编号" in text_of(app, "#row-username > .field-label")
        await login(pilot, "BJ0012345678", PASSWORD)
        assert isinstance(app.screen, HomeScreen)


async def test_role_choice_for_several_identities(make_app, people, db):
    _, other = people
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "duo", PASSWORD)
        assert app.screen.__class__.__name__ == "IdentityScreen"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.organisation_id == other.id and app.actor.role == "enterprise_operator"
        assert "万家物业服务有限公司" in text_of(app, "#who")


async def test_logout_returns_to_login_and_is_logged(make_app, people, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
    with db.read() as s:
        assert s.execute(select(BusinessLog.business_type).order_by(BusinessLog.id)).scalars().all() == [
            "登录", "退出登录"]


async def test_markup_in_user_text_shows_literally(make_app, build):
    org = build.organisation(name="[bold]红星[/bold]物业\x1b[31m")
    build.user("mk", roles=(("enterprise_operator", org.id),), real_name="[red]赵六")
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await login(pilot, "mk", PASSWORD)
        who = text_of(app, "#who")
        assert "[red]赵六" in who and "[bold]红星[/bold]物业" in who
        assert "\x1b" not in who


@pytest.mark.parametrize("role,kind,label", [
    ("enterprise_admin", "enterprise", "企业管理员"),
    ("enterprise_operator", "enterprise", "企业经办人"),
    ("office_operator", "office", "小区管理处经办人"),
    ("reviewer", "authority", "管理部审核员"),
    ("sysadmin", "platform", "系统管理员"),
    ("registrant", None, "未认证用户"),
])
async def test_each_role_logs_in_to_its_menu(make_app, build, role, kind, label):
    org_id = build.organisation(kind=kind, credit_code=None).id if kind else None
    build.user("someone", roles=((role, org_id),))
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "someone", PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        assert f"角色：{label}" in text_of(app, "#who")
        assert app.title == "上海市房屋维修资金管理系统"
        assert app.screen.query_one("#menu").option_count >= 1


async def test_typed_ahead_login_reaches_each_field(make_app, people):
    """User name, Enter, password, Enter, code, Enter in one burst (issue 9, lost keys): each part lands
    in its own field and the clerk is logged in; the focus used to move only after the whole burst had
    gone into the user name."""
    from tests.pilot import burst

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        code = app.screen.captcha.code
        await burst(pilot, f"qyjb\r{PASSWORD}\r{code}\r")
        assert isinstance(app.screen, HomeScreen), text_of(app, "#username-error")
        assert "王芳" in text_of(app, "#who")
