"""C10 at the login screen: a locked database answers within seconds, in words, without a traceback."""

import sqlite3
import time

from screens.identity.login import LoginScreen
from services.identity import auth
from tests.builders import PASSWORD
from tests.pilot import login, text_of, wait_for


async def test_login_on_a_locked_database_says_busy_quickly(make_app, build, db_url):
    org = build.organisation()
    build.user("clerk", roles=(("enterprise_operator", org.id),))
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    holder.execute("BEGIN IMMEDIATE")
    app = make_app()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            started = time.monotonic()
            await login(pilot, "clerk", PASSWORD)
            assert await wait_for(pilot, lambda: "数据库忙" in text_of(app, "#login-message"), timeout=10)
            waited = time.monotonic() - started
            assert isinstance(app.screen, LoginScreen) and app.actor is None
            assert waited < auth.LOGIN_BUSY_MS / 1000 + 4  # not the 15 s busy timeout
            assert "OperationalError" not in text_of(app, "#login-message")
    finally:
        holder.rollback()
        holder.close()
