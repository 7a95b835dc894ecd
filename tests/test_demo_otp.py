"""BY-08's demo account `kouling`: enrolled with the published demo secret, named in the login screen's demo
list, its code printed by `wxzj otp-code kouling` — for a demo account only, refused for anyone else."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from models import BusinessLog
from screens.identity.otp_code import CodeDialog
from screens.shell.home import HomeScreen
from services.core.errors import ServiceError
from services.demo.accounts import DEMO_PASSWORD, OTP_DEMO_SECRET, OTP_DEMO_USER
from services.demo.otp_demo import NOT_DEMO, current_code
from services.identity import auth, otp
from tests.pilot import login, settle, text_of, type_text
from tui.cli import main


def test_the_demo_account_needs_its_code(demo_db):
    result = auth.authenticate(demo_db, OTP_DEMO_USER, DEMO_PASSWORD)
    assert result.otp_pending and result.identities[0].role == "enterprise_operator"
    code, left = current_code(demo_db, OTP_DEMO_USER)
    assert 0 < left <= 30 and code in (pyotp.TOTP(OTP_DEMO_SECRET).now(),
                                       pyotp.TOTP(OTP_DEMO_SECRET).at(__import__("time").time() - 1))
    passed = otp.verify_login_code(demo_db, result, code)
    assert not passed.otp_pending


def test_no_other_account_s_code_is_shown(demo_db, actor_of):
    for name in ("qyadmin", "nobody"):
        with pytest.raises(ServiceError, match="演示"):
            current_code(demo_db, name)
    actor = actor_of("qyjb")  # a real enrolment: a random secret
    enrolment = otp.begin_enrolment(demo_db, actor)
    otp.confirm_enrolment(demo_db, actor, pyotp.TOTP(enrolment.secret).now())
    with pytest.raises(ServiceError) as refused:
        current_code(demo_db, "qyjb")
    assert refused.value.message == NOT_DEMO


def test_the_command_prints_the_code_and_refuses_otherwise(demo_url, capsys):
    assert main(["--database-url", demo_url, "otp-code", OTP_DEMO_USER]) == 0
    out = capsys.readouterr().out
    assert out[:6].isdigit() and "秒有效" in out
    assert main(["--database-url", demo_url, "otp-code", "qyadmin"]) == 2
    assert NOT_DEMO in capsys.readouterr().err


def test_a_database_without_the_demo_account_refuses(db_url, capsys):
    assert main(["--database-url", db_url, "otp-code", OTP_DEMO_USER]) == 2
    assert NOT_DEMO in capsys.readouterr().err


async def test_the_demo_list_names_it_and_the_code_logs_in(make_demo_app, demo_db):
    app = make_demo_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        demo_list = text_of(app, "#demo")
        assert "kouling" in demo_list and "wxzj otp-code kouling" in demo_list
        assert app.screen.query_one("#demo").region.bottom <= 23  # above the footer at 80×24
        await login(pilot, OTP_DEMO_USER, DEMO_PASSWORD)
        assert isinstance(app.screen, CodeDialog)
        await type_text(pilot, current_code(demo_db, OTP_DEMO_USER)[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.actor.username == OTP_DEMO_USER
    with demo_db.read() as s:
        assert s.execute(select(BusinessLog.summary).where(BusinessLog.business_type == "登录")).scalars().all() \
            == ["孔令以企业经办人身份登录"]


async def test_the_shanghai_demo_has_it_too(make_sh_app, sh_db):
    app = make_sh_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "kouling" in text_of(app, "#demo")
        assert app.screen.query_one("#demo").region.bottom <= 23
        await login(pilot, OTP_DEMO_USER, DEMO_PASSWORD)
        await type_text(pilot, current_code(sh_db, OTP_DEMO_USER)[0])
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f9")  # SH-05 确认选择
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.actor.username == OTP_DEMO_USER
