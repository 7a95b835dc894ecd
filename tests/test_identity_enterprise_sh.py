"""Shanghai 企业注册 (SH-01..04) from the login screen: the question, registration with the platforms and the
supervision block, the duplicate credit code message, and binding an existing account."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from models import BusinessLog, Identity, Organisation, OutboxMessage, UnitApplication, User
from screens.common.dialogs import NoticeDialog
from screens.identity.enterprise_bind import EnterpriseBindScreen
from screens.identity.enterprise_form import EnterpriseFormScreen
from screens.identity.enterprise_question import AccountQuestion
from screens.identity.login import LoginScreen
from services.core.clock import utcnow
from services.core.errors import ServiceError, ValidationError
from services.identity import auth, otp
from services.identity import enterprise_registration as service
from tests.builders import PASSWORD
from tests.pilot import settle, text_of

CREDIT = "91350100M000100Y43"
BASIC = {"credit_code": CREDIT, "name": "测试物业维修中心2", "postcode": "200120", "phone": "021-62345678",
         "legal_name": "杜晨", "legal_mobile": "17648830890", "legal_id_no": "11010519491231002X",
         "contact_name": "杜晨", "contact_mobile": "17648830890"}
DISTRICTS = ("浦东新区", "黄浦区")


def fill(app, values):
    for key, value in values.items():
        app.screen.query_one(f"#{key}").value = value


async def open_form(pilot):
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AccountQuestion)
    assert service.QUESTION in text_of(pilot.app, "PlainStatic")
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EnterpriseFormScreen)


async def test_register_both_platforms(make_app, db):
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        assert not app.screen.query_one("#row-gm_name").display  # only with the supervision platform
        app.screen.focus_field("platform_supervision")
        await pilot.press("left")  # 注册
        assert app.screen.query_one("#row-gm_name").display
        fill(app, BASIC)
        app.screen.focus_field("reg_district")
        await pilot.press("right")
        fill(app, {"gm_name": "杜晨", "gm_mobile": "17648830890", "gm_id_no": "11010519491231002X"})
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        assert app.screen.body.startswith(
            "测试物业维修中心2企业，您已注册成功,可使用Ukey通过上海市物业管理监督与服务统一认证登录平台进入"
            "上海市商品住房维修资金管理系统和上海市物业管理平台及招投标系统。")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and text_of(app, "#username") == CREDIT
    with db.read() as s:
        org = s.execute(select(Organisation).where(Organisation.credit_code == CREDIT)).scalar_one()
        assert org.status == "active" and org.legal_rep_mobile == "17648830890"
        app_row = s.execute(select(UnitApplication)).scalar_one()
        assert '"reg_district": "黄浦区"' in app_row.data or "浦东新区" in app_row.data
        sms = s.execute(select(OutboxMessage.text).where(OutboxMessage.template == "initial_password")).scalar_one()
        assert "business_log" not in sms
        logs = s.execute(select(BusinessLog.summary)).scalars().all()
    password = re.search(r"初始密码(\S+?)，", sms).group(1)
    assert all(password not in (line or "") for line in logs)
    result = auth.authenticate(db, CREDIT, password)
    assert result.must_change_password and result.identities[0].role == "enterprise_admin"


async def test_duplicate_credit_code_and_missing_fields(make_app, build):
    build.organisation(credit_code=CREDIT)
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        fill(app, {**BASIC, "legal_mobile": ""})
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#legal_mobile-error") == "请输入法定代表人手机号"
        fill(app, BASIC)
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#credit_code-error") == service.DUPLICATE
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


def test_supervision_block_required_and_one_platform(db):
    with pytest.raises(Exception) as err:
        service.register(db, None, {**BASIC, "legal_id_type": "居民身份证", "platform_fund": "不注册",
                                    "platform_supervision": "不注册"}, DISTRICTS)
    assert err.value.message == "请选择注册平台"
    with pytest.raises(Exception) as err:
        service.register(db, None, {**BASIC, "legal_id_type": "居民身份证", "platform_supervision": "注册",
                                    "reg_place": "上海市", "reg_district": "浦东新区"}, DISTRICTS)
    assert err.value.field == "gm_name"
    done = service.register(db, None, {**BASIC, "legal_id_type": "居民身份证", "platform_fund": "注册"}, DISTRICTS)
    assert done.message.endswith("进入上海市商品住房维修资金管理系统。")


async def test_bind_existing_account(make_app, build, db):
    org = build.organisation(credit_code=CREDIT, name="老牌物业有限公司")
    build.user("laopai", roles=(("enterprise_admin", org.id),))
    other = build.organisation()
    build.user("other", roles=(("enterprise_admin", other.id),))
    app = make_app(profile="shanghai")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, EnterpriseBindScreen)
        fill(app, {"username": "other", "password": PASSWORD, "credit_code": CREDIT})
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#credit_code-error") == service.BIND_MISMATCH
        fill(app, {"username": "laopai", "password": PASSWORD, "credit_code": CREDIT})
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog) and "老牌物业有限公司" in app.screen.body
    with db.read() as s:
        assert "维修资金企业绑定" in s.execute(select(BusinessLog.business_type)).scalars().all()


def test_binding_an_account_with_an_authenticator_needs_its_code(build, db):
    org = build.organisation(credit_code=CREDIT, name="老牌物业有限公司")
    build.user("laopai", roles=(("enterprise_admin", org.id),))
    login = auth.authenticate(db, "laopai", PASSWORD)
    actor = auth.enter(db, login, login.identities[0].identity_id)
    enrolment = otp.begin_enrolment(db, actor)
    earlier = utcnow() - timedelta(minutes=2)
    otp.confirm_enrolment(db, actor, pyotp.TOTP(enrolment.secret).at(earlier), now=earlier)
    with pytest.raises(ValidationError) as err:
        service.bind(db, None, "laopai", PASSWORD, CREDIT)
    assert err.value.field == "code"
    good = pyotp.TOTP(enrolment.secret).now()
    with pytest.raises(ServiceError) as err:
        service.bind(db, None, "laopai", PASSWORD, CREDIT, code="111111" if good == "000000" else "000000")
    assert err.value.field == "code"
    assert service.bind(db, None, "laopai", PASSWORD, CREDIT, code=good) == "老牌物业有限公司"
