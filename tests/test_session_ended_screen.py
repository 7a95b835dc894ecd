"""B4 at the terminal: a session the database ended says why and returns to the login screen."""

from sqlalchemy import select, update

from models import BusinessLog, User
from screens.identity.login import LoginScreen
from services.demo.accounts import DEMO_PASSWORD
from tests.pilot import login, settle, text_of, wait_for


async def test_a_disabled_clerk_is_sent_back_to_login_with_the_reason(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        assert app.actor is not None
        with demo_db.write() as s:
            s.execute(update(User).where(User.username == "qyjb").values(status="disabled"))
        await pilot.press("enter")  # 商品房维修支取申请: its first service call meets the check
        await settle(pilot)
        assert await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.actor is None
        assert "账户已停用" in text_of(app, "#login-message")
        assert "本次登录已结束" in text_of(app, "#login-message")
        assert len(app.screen_stack) == 2  # nothing of the session left underneath
    with demo_db.read() as s:  # the refused call left no business record behind
        assert s.execute(select(BusinessLog.business_type).order_by(BusinessLog.id.desc())).scalars().first() == "登录"
