"""未认证用户注册 (BJ-01..03) driven from the login screen at 80×24, with the failure paths of the manual."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from models import BusinessLog, Identity, OutboxMessage, User, VerificationCode
from screens.identity.login import LoginScreen
from screens.identity.register_activate import ActivationScreen
from screens.identity.register_done import RegisterDoneScreen
from screens.identity.register_form import RegisterFormScreen
from services.core.errors import ValidationError
from services.identity import registration
from tests.pilot import settle, text_of, type_text

FORM = {
    "real_name": "赵敏", "id_type": "居民身份证", "id_no": "11010519491231002X", "unit_name": "京华物业服务有限公司",
    "credit_code": "91350100M000100Y43", "mobile": "13511112222", "email": "zhaomin@example.com",
    "username": "zhaomin", "password": "Jinghua@2026", "confirm": "Jinghua@2026",
}
ORDER = ("real_name", "id_type", "id_no", "unit_name", "credit_code", "mobile", "email", "username", "password",
         "confirm")


async def fill_form(pilot, values: dict[str, str]) -> None:
    for key in ORDER:
        if key != "id_type":
            await type_text(pilot, values[key])
        await pilot.press("enter")
    await settle(pilot)


def outbox_code(db, recipient: str) -> str:
    with db.read() as s:
        text = s.execute(select(OutboxMessage.text).where(OutboxMessage.recipient == recipient)
                         .order_by(OutboxMessage.id.desc())).scalars().first()
    return re.search(r"(\d{6})", text).group(1)


async def open_form(pilot):
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RegisterFormScreen)


async def test_register_by_sms_end_to_end(make_app, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await fill_form(pilot, FORM)  # Enter on the last field is 【下一步】
        assert isinstance(app.screen, ActivationScreen)
        assert "13511112222" in text_of(app, "#address")
        await pilot.press("f5")
        await settle(pilot)
        assert "已发送至 135****2222" in text_of(app, "#form-message")
        code = outbox_code(db, "13511112222")
        await type_text(pilot, code)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, RegisterDoneScreen)
        assert text_of(app, "#username-line") == "未认证用户名：zhaomin"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert text_of(app, "#username") == "zhaomin"
    with db.read() as s:
        user = s.execute(select(User).where(User.username == "zhaomin")).scalar_one()
        identity = s.execute(select(Identity).where(Identity.user_id == user.id)).scalar_one()
        assert identity.role == "registrant" and identity.organisation_id is None
        assert registration.declared_unit(identity.remark)["credit_code"] == "91350100M000100Y43"
        assert s.execute(select(BusinessLog.business_type)).scalars().all() == ["未认证用户注册"]
        assert code not in s.execute(select(OutboxMessage.text)).scalar_one()  # used: starred out


async def test_register_by_email_and_wrong_then_expired_code(make_app, db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await fill_form(pilot, FORM)
        await pilot.press("right")  # 电子邮箱校验
        assert "zhaomin@example.com" in text_of(app, "#address")
        await pilot.press("f5")
        await settle(pilot)
        code = outbox_code(db, "zhaomin@example.com")
        wrong = "000000" if code != "000000" else "111111"
        await type_text(pilot, wrong)
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#code-error") == "验证码错误，请重新输入"
        with db.write() as s:
            s.execute(update(VerificationCode).values(expires_at=VerificationCode.created_at))
        app.screen.query_one("#code").value = code
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#code-error") == "验证码已失效，请重新获取"
        assert isinstance(app.screen, ActivationScreen)
    with db.read() as s:
        assert s.execute(select(User).where(User.username == "zhaomin")).first() is None
        assert s.execute(select(VerificationCode.tries)).scalar_one() == 1


async def test_duplicates_refused_at_their_field_and_back_keeps_values(make_app, build, db):
    build.user("zhaomin", mobile="13900000009")
    build.user("other", mobile="13511112222")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await fill_form(pilot, FORM)
        assert text_of(app, "#username-error") == "该用户名已被注册"
        app.screen.query_one("#username").value = "zhaomin2"
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#mobile-error") == "该手机号码已被注册"
        assert app.screen.focused.id == "mobile"
        app.screen.query_one("#mobile").value = "13511113333"
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ActivationScreen)
        await pilot.press("escape")  # 上一步
        await settle(pilot)
        assert isinstance(app.screen, RegisterFormScreen)
        assert text_of(app, "#mobile") == "13511113333"
        await pilot.press("f3")  # 使用原账户登录
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_bad_fields_get_their_messages(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await fill_form(pilot, {**FORM, "id_no": "110105194912310021"})
        assert text_of(app, "#id_no-error") == "证件号码不是有效的居民身份证号码"
        app.screen.query_one("#id_no").value = FORM["id_no"]
        app.screen.query_one("#credit_code").value = "91350100M000100Y44"
        await pilot.press("f9")
        await settle(pilot)
        assert "统一社会信用代码不正确" in text_of(app, "#credit_code-error")
        app.screen.query_one("#credit_code").value = FORM["credit_code"]
        app.screen.query_one("#confirm").value = "Other@2026"
        await pilot.press("f9")
        await settle(pilot)
        assert text_of(app, "#confirm-error") == "两次输入的密码不一致"


def test_service_refuses_a_duplicate_that_appears_before_activation(db, build):
    form = registration.check_form(db, None, FORM)
    registration.send_code(db, None, form, "sms")
    build.user("zhaomin")
    with pytest.raises(ValidationError) as err:
        registration.activate(db, None, form, "sms", outbox_code(db, "13511112222"))
    assert err.value.field == "username"
    with db.read() as s:  # the code was not spent by the refused registration
        assert s.execute(select(VerificationCode.used_at)).scalar_one() is None


def test_registration_rate_limited_per_source(db):
    form = registration.check_form(db, None, FORM)
    now = __import__("services.core.clock", fromlist=["utcnow"]).utcnow()
    for i in range(10):
        registration.send_code(db, None, form, "sms", source="10.1.1.1", now=now + timedelta(minutes=i))
    with pytest.raises(ValidationError, match="过于频繁"):
        registration.send_code(db, None, form, "sms", source="10.1.1.1", now=now + timedelta(minutes=11))


async def test_the_whole_form_typed_ahead_lands_field_by_field(make_app):
    """Every field and its Enter in one burst (a slow link): each value reaches its own field and the last
    Enter is 【下一步】 with all of them."""
    from tests.pilot import burst, wait_for

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await burst(pilot, "".join(("" if key == "id_type" else FORM[key]) + "\r" for key in ORDER))
        assert await wait_for(pilot, lambda: isinstance(app.screen, ActivationScreen), timeout=10), \
            text_of(app, "#form-message")
        assert app.screen.form.username == "zhaomin" and app.screen.form.credit_code == FORM["credit_code"]
