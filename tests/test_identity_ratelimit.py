"""Rate limits per account and per source address (the SSH client's), shared through the database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.identity import ratelimit


def test_source_address_from_ssh_connection():
    assert ratelimit.source_address({"SSH_CONNECTION": "203.0.113.7 52100 10.0.0.1 22"}) == "203.0.113.7"
    assert ratelimit.source_address({"SSH_CLIENT": "198.51.100.2 40000 22"}) == "198.51.100.2"
    assert ratelimit.source_address({}) == ratelimit.LOCAL_SOURCE


def test_login_limited_per_account_then_per_source(db):
    now = utcnow()
    limit = ratelimit.LIMITS["login.account"][0]
    for _ in range(limit):
        ratelimit.check_login(db, "qyjb", "203.0.113.7", now=now)
    with pytest.raises(ValidationError, match="过于频繁") as err:
        ratelimit.check_login(db, "QYJB", "203.0.113.8", now=now)  # the account, whatever the case or address
    assert err.value.field == "password"
    later = now + ratelimit.LIMITS["login.account"][1] + timedelta(seconds=1)
    ratelimit.check_login(db, "qyjb", "203.0.113.7", now=later)  # the window has passed
    for i in range(ratelimit.LIMITS["login.source"][0]):
        try:
            ratelimit.check_login(db, f"user{i}", "198.51.100.9", now=later)
        except ValidationError:
            pytest.fail("limited too early")
    with pytest.raises(ValidationError):
        ratelimit.check_login(db, "fresh", "198.51.100.9", now=later)


async def test_login_screen_applies_the_limit(make_app, build, db):
    from tests.builders import PASSWORD
    from tests.pilot import login, text_of

    org = build.organisation()
    build.user("qyjb", roles=(("enterprise_operator", org.id),))
    for _ in range(ratelimit.LIMITS["login.account"][0]):
        ratelimit.check_login(db, "qyjb", "local")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        assert text_of(app, "#password-error") == "登录尝试过于频繁，请稍后再试"
