"""BJ-06/07: a legacy key holder confirms once (维修资金网上业务经办人信息确认), then logs in with the key."""

from __future__ import annotations

from sqlalchemy import select

from models import BusinessLog, User
from screens.identity.legacy_confirm import LegacyConfirmScreen
from screens.identity.login import LoginScreen
from screens.shell.home import HomeScreen
from services.demo.accounts import DEMO_PASSWORD, LEGACY_CERT_NO
from services.identity import legacy
from tests.pilot import login, settle, text_of, type_text


async def fill(pilot, cert_no: str, password: str) -> None:
    await type_text(pilot, cert_no)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await type_text(pilot, pilot.app.screen.captcha.code)
    await pilot.press("enter")
    await settle(pilot)


async def test_legacy_key_confirms_then_logs_in(make_demo_app, demo_db):
    app = make_demo_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert LEGACY_CERT_NO in text_of(app, "#demo")
        await pilot.press("f2")  # 密钥登录 before the confirmation is refused with the way out
        await login(pilot, LEGACY_CERT_NO, DEMO_PASSWORD)
        assert text_of(app, "#username-error") == legacy.NEEDS_CONFIRMATION
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, LegacyConfirmScreen)
        await fill(pilot, "BJ9999999999", DEMO_PASSWORD)  # wrong certificate
        assert text_of(app, "#password-error") == legacy.FAILED
        app.screen.query_one("#username").value = LEGACY_CERT_NO
        app.screen.query_one("#password").value = DEMO_PASSWORD
        app.screen.query_one("#captcha").value = app.screen.captcha.code
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert text_of(app, "#username") == LEGACY_CERT_NO and app.screen.method == "key"
        app.screen.query_one("#captcha").value = app.screen.captcha.code
        await type_text(pilot, DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # BJ-26: the former office key works as the enterprise's operator, kept to the office
        assert app.actor.role == "enterprise_operator" and app.actor.organisation_kind == "office"
        actor = app.actor
    from models import OfficeCommunity
    from services.estate.scope import community_ids

    with demo_db.read() as s:  # ... and keeps the office's communities, no more
        own = s.execute(select(OfficeCommunity.community_id)
                        .where(OfficeCommunity.office_id == actor.organisation_id)).scalars().all()
        assert own and community_ids(s, actor) == sorted(own)
    with demo_db.read() as s:
        assert not s.execute(select(User.legacy_key).where(User.cert_no == LEGACY_CERT_NO)).scalar_one()
        assert "经办人信息确认" in s.execute(select(BusinessLog.business_type)).scalars().all()


async def test_confirming_twice_is_refused(demo_db):
    from services.identity.captcha import Captcha

    captcha = Captcha()
    legacy.confirm(demo_db, None, LEGACY_CERT_NO, DEMO_PASSWORD, captcha, captcha.code)
    try:
        legacy.confirm(demo_db, None, LEGACY_CERT_NO, DEMO_PASSWORD, captcha, captcha.code)
    except Exception as error:  # noqa: BLE001
        assert error.message == legacy.ALREADY
    else:
        raise AssertionError("second confirmation accepted")
