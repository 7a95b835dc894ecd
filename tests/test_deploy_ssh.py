"""wxzj behind a real sshd with ForceCommand: a clerk logs in over `ssh -tt`, opens 商品房维修支取申请 and quits;
`ssh host id` gets no shell and no command. With the client key bound to the clerk (ExposeAuthInfo yes),
the login asks only for the password."""

import os
import shutil
import subprocess

import pytest

from bench.pty_session import PtySession, terminal_env
from bench.screen_text import EmulatedScreen
from services.demo.accounts import DEMO_PASSWORD
from bench.sshd import SSHD, start_sshd, wxzj_command
from models.db import Database
from services.admin import ssh_keys
from services.identity import auth
from tests.admin_fixtures import identity_of
from tui.captcha_art import read as read_captcha

pytestmark = pytest.mark.skipif(
    not (os.path.exists(SSHD) and shutil.which("ssh")) and not os.environ.get("CI"),
    reason="openssh-server is not installed (.ci/run installs it)")


@pytest.fixture
def sshd(tmp_path, demo_url):
    server = start_sshd(tmp_path / "sshd", wxzj_command(demo_url, tmp_path / "data"))
    yield server
    server.process.terminate()
    server.process.wait(10)


def test_a_clerk_works_over_ssh_and_gets_no_shell(sshd):
    with PtySession(sshd.ssh_argv("-tt"), terminal_env()) as session:
        screen = EmulatedScreen(session)
        shown = screen.wait_for("用户名", "验证码")
        screen.type("qyjb\r")
        screen.type(DEMO_PASSWORD + "\r")
        screen.type(read_captcha(shown.splitlines()) + "\r")
        screen.wait_for("商品房维修支取申请")
        screen.type("\r")  # the first function of the enterprise operator's menu
        shown = screen.wait_for("已申请任务单信息")
        assert "暂无任务单" in shown or "WX" in shown
        session.send(b"\x11")  # ctrl+q
        session.read_until_quiet(0.5, 15)
        assert session.process.wait(15) == 0

    done = subprocess.run(sshd.ssh_argv() + ["id"], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "uid=" not in done.stdout
    assert "不执行命令" in done.stderr


def test_a_bound_client_key_logs_in_with_the_password_alone(sshd, demo_url):
    db = Database(demo_url)
    try:
        admin = auth.authenticate(db, "qyadmin", DEMO_PASSWORD)
        admin = auth.enter(db, admin, admin.identities[0].identity_id)
        ssh_keys.bind_key(db, admin, identity_of(db, "qyjb").id, (sshd.client_key.parent / "client_key.pub").read_text())
    finally:
        db.dispose()
    with PtySession(sshd.ssh_argv("-tt"), terminal_env()) as session:
        screen = EmulatedScreen(session)
        shown = screen.wait_for("SSH密钥登录", "请输入密码")
        assert "qyjb" in shown and "验证码" not in shown
        screen.type(DEMO_PASSWORD + "\r")
        screen.wait_for("商品房维修支取申请")
        session.send(b"\x11")
        session.read_until_quiet(0.5, 15)
        assert session.process.wait(15) == 0
