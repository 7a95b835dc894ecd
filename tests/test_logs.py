"""The log file: under the data directory, rotating, its level from WXZJ_LOG_LEVEL, and nothing secret in it."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

import pytest

from tests.builders import PASSWORD
from tests.logfile import log_to
from tests.pilot import login, settle, text_of
from tui import calls
from tui.config import load_config
from tui.logs import logger

ID_NUMBER = "110101199003071234"
MOBILE = "13912345678"
WRONG_PASSWORD = "Wrong-Pass-77"


@pytest.fixture
def clerk(build):
    org = build.organisation(name="安居物业服务有限公司")
    return build.user("qyjb", roles=(("enterprise_operator", org.id),), real_name="王芳")


def _config(tmp_path, **env):
    return load_config({"WXZJ_DATA_DIR": str(tmp_path / "data"), "WXZJ_CONFIG": str(tmp_path / "none.toml"), **env})


def test_the_log_rotates_under_the_data_directory_at_the_configured_level(tmp_path):
    config = _config(tmp_path, WXZJ_LOG_LEVEL="debug")
    assert config.log_path == tmp_path / "data" / "logs" / "wxzj.log"
    with log_to(config.log_path, config.log_level) as handler:
        assert isinstance(handler, RotatingFileHandler) and handler.maxBytes > 0 and handler.backupCount > 0
        assert logging.getLogger("wxzj").getEffectiveLevel() == logging.DEBUG
        logger("test").debug("debug line kept")
        for _ in range(handler.maxBytes // 1000 + 10):
            logger("test").info("x" * 1000)
    assert config.log_path.with_name("wxzj.log.1").is_file()  # rotated, not grown without end
    assert "debug line kept" in config.log_path.with_name("wxzj.log.1").read_text(encoding="utf-8")

    quiet = _config(tmp_path / "q", WXZJ_LOG_LEVEL="WARNING")
    with log_to(quiet.log_path, quiet.log_level):
        logger("test").info("info line dropped")
        logger("test").warning("warning line kept")
    text = quiet.log_path.read_text(encoding="utf-8")
    assert "warning line kept" in text and "info line dropped" not in text


async def test_the_log_holds_no_password_and_no_full_number(make_app, clerk, tmp_path):
    log = tmp_path / "logs" / "wxzj.log"
    app = make_app()
    with log_to(log):
        async with app.run_test(size=(80, 24)) as pilot:
            # A wrong password, then registration-like input typed into the login form.
            await login(pilot, "qyjb", WRONG_PASSWORD)
            assert text_of(app, "#password-error")
            screen = app.screen
            for field, value in (("username", ID_NUMBER), ("password", MOBILE)):
                screen.query_one(f"#{field}").value = value
            screen.query_one("#captcha").value = screen.captcha.code
            screen.action_login()
            await settle(pilot)

            # A careless exception message carrying the numbers, as a unique constraint's would.
            def register(db, actor):
                raise RuntimeError(f"duplicate key (id_number, mobile)=({ID_NUMBER}, {MOBILE})")

            calls.run(app.screen, register, failed=lambda _: None)
            await settle(pilot)
    text = log.read_text(encoding="utf-8")
    assert text.count("screen=LoginScreen") == 3 and "Traceback" in text  # two refusals and the error
    assert WRONG_PASSWORD not in text and MOBILE not in text and ID_NUMBER not in text
    assert "110****1234" in text  # masked, still recognisable to the administrator
