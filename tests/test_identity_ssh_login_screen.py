"""Login over SSH with a bound key, driven by keys at 80×24 with an SSH_USER_AUTH file as sshd writes it:
the user name is filled in and locked, only the password is asked; an unbound key, or F2, gives the
ordinary form. And 操作员管理's F7 / F9 bind and unbind a key."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import Input

from models import BusinessLog, SshKey
from screens.admin.operators import OperatorListScreen
from screens.admin.ssh_key import BindSshKeyDialog
from screens.common.dialogs import ConfirmDialog
from screens.identity.login import LoginScreen
from screens.shell.home import HomeScreen
from services.admin import ssh_keys
from services.demo.accounts import DEMO_PASSWORD
from services.core.functions import functions_for
from tests.admin_fixtures import identity_of
from tests.pilot import login, settle, text_of, type_text, wait_for
from tests.ssh_keys_files import make_key, ssh_environ, sshd_auth_file
from tui.row_list import RowList

SIZE = (80, 24)


@pytest.fixture
def key(tmp_path):
    return make_key(tmp_path)


@pytest.fixture
def over_ssh(key, monkeypatch):
    """The app runs as sshd started it after the client authenticated with `key`."""
    line, _fingerprint = key
    with sshd_auth_file(f"publickey {' '.join(line.split()[:2])}\n") as path:
        for name, value in ssh_environ(path).items():
            monkeypatch.setenv(name, value)
        yield path


def _bind(db, actor_of, line: str, username: str = "qyjb") -> int:
    identity = identity_of(db, username)
    ssh_keys.bind_key(db, actor_of("qyadmin"), identity.id, line)
    return identity.id


async def _key_form(pilot) -> LoginScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    assert await wait_for(pilot, lambda: screen.method == "ssh" or screen.ssh_key is None)
    await settle(pilot)
    return screen


async def test_a_bound_key_asks_only_for_the_password(make_demo_app, demo_db, actor_of, key, over_ssh):
    identity_id = _bind(demo_db, actor_of, key[0])
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _key_form(pilot)
        username = screen.query_one("#username", Input)
        assert screen.method == "ssh" and username.value == "qyjb" and username.disabled
        assert not screen.query_one("#row-captcha").display and not screen.query_one("#captcha-row").display
        assert app.focused is screen.query_one("#password", Input)
        assert "SSH密钥登录" in text_of(app, "#method-title") and "请输入密码" in text_of(app, "#login-message")
        await pilot.press("q")  # the user name cannot be typed into
        assert username.value == "qyjb"
        await pilot.press("backspace")

        await type_text(pilot, "Wrong@2026")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and screen.method == "ssh"
        assert "用户名或密码错误" in text_of(app, "#password-error") and text_of(app, "#password") == ""

        await type_text(pilot, DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.identity_id == identity_id and app.actor.username == "qyjb"
    with demo_db.read() as s:
        row = s.execute(select(BusinessLog).where(BusinessLog.business_type == "登录")
                        .order_by(BusinessLog.id.desc())).scalars().first()
    assert row.user_id == app.actor.user_id and "SSH密钥" in row.summary


async def test_an_unbound_key_gets_the_ordinary_form(make_demo_app, over_ssh):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _key_form(pilot)
        assert screen.ssh_key is None and screen.method == "password"
        assert not screen.query_one("#username", Input).disabled and screen.query_one("#row-captcha").display
        await login(pilot, "qyjb", DEMO_PASSWORD)
        assert isinstance(app.screen, HomeScreen)


async def test_f2_leaves_the_key_for_the_ordinary_form(make_demo_app, demo_db, actor_of, key, over_ssh):
    _bind(demo_db, actor_of, key[0])
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _key_form(pilot)
        assert screen.method == "ssh"
        await pilot.press("f2")
        await settle(pilot)
        assert screen.method == "password" and text_of(app, "#username") == ""
        await login(pilot, "qyadmin", DEMO_PASSWORD)  # someone else, at the same terminal
        assert app.actor.username == "qyadmin"


async def test_a_key_unbound_meanwhile_falls_back_with_the_reason(make_demo_app, demo_db, actor_of, key, over_ssh):
    identity_id = _bind(demo_db, actor_of, key[0])
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _key_form(pilot)
        ssh_keys.unbind_key(demo_db, actor_of("qyadmin"), identity_id)
        await type_text(pilot, DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.method == "password" and not screen.query_one("#username", Input).disabled
        assert "未绑定" in text_of(app, "#login-message")


async def test_the_administrator_binds_and_unbinds_with_f7_and_f9(make_demo_app, demo_db, key, monkeypatch):
    monkeypatch.delenv("SSH_USER_AUTH", raising=False)
    line, fingerprint = key
    clerk = identity_of(demo_db, "qyjb")
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        keys = [f.key for f in functions_for(app.actor)]
        await pilot.press(*["down"] * keys.index("operators"), "enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorListScreen)
        rows = app.screen.query_one(RowList)
        await pilot.press(*["down"] * [r[1] for r in rows.rows].index("qyjb"))
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, BindSshKeyDialog)
        await type_text(pilot, "not a key")
        await pilot.press("f2")
        await settle(pilot)
        assert "无法识别" in text_of(app, "#form-message")
        app.screen.query_one("#key", Input).value = ""
        await type_text(pilot, line)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorListScreen)
        with demo_db.read() as s:
            bound = s.execute(select(SshKey)).scalars().one()
        assert (bound.identity_id, bound.fingerprint) == (clerk.id, fingerprint)

        await pilot.press("f7")  # bound already: it says so instead of opening the form
        await settle(pilot)
        assert isinstance(app.screen, OperatorListScreen) and "请先按 F9" in text_of(app, "#message")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, OperatorListScreen)
    with demo_db.read() as s:
        assert s.execute(select(SshKey)).first() is None
