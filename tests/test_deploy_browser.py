"""`wxzj serve` in Debian's headless Chromium driven by Playwright: a clerk logs in, prints a task order and the
PDF arrives as a browser download; the business log says 浏览器.

What the page's terminal shows is rebuilt from the websocket's output frames with a terminal emulator (pyte),
since xterm.js draws on a canvas."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyte
import pytest
from sqlalchemy import select

from models import BusinessLog, PrintedDocument
from services.demo.accounts import DEMO_PASSWORD
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft
from bench.sshd import free_port
from tui.captcha_art import read as read_captcha

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else __import__(
    "playwright.sync_api").sync_api
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (.ci/run installs it)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture
def served(demo_db, demo_url, actor_of, tmp_path):
    qyjb = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, qyjb, houses=6)
    task_order_submit.submit(demo_db, qyjb, order_id, buildings)
    port = free_port()
    env = {**os.environ, "WXZJ_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path / "home")}
    server = subprocess.Popen([sys.executable, "-m", "tui", "--database-url", demo_url, "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "serve.log", "wb"))
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.05)  # polling a port a child process is opening; there is no event to wait on
    yield f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(10)
    # the tabs print through the host print worker (serve switches it on); it must not outlive the test
    from services.printing import print_server

    print_server.stop(print_server.socket_path(env))


class Terminal:
    """The page's terminal as the app drew it: output frames fed to an emulator of the announced size."""

    def __init__(self, page) -> None:
        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.last_frame = time.monotonic()
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        from urllib.parse import parse_qs, urlparse

        query = parse_qs(urlparse(ws.url).query)
        self.screen.resize(int(query.get("height", ["24"])[0]), int(query.get("width", ["80"])[0]))
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)
            self.last_frame = time.monotonic()

    def settle(self, quiet: float = 0.3, timeout: float = 15) -> None:
        """Wait until the app has drawn its answer to the last key (no frame for `quiet` s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_frame < quiet and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)

    def _sent(self, payload) -> None:
        message = json.loads(payload) if isinstance(payload, str) else None
        if message and message[0] == "resize":
            self.screen.resize(message[1]["height"], message[1]["width"])

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while not all(t in self.text() for t in texts):
            assert time.monotonic() < deadline, f"not shown: {texts}\n{self.text()}"
            self.page.wait_for_timeout(50)  # lets Playwright deliver the frames that arrived
        return self.text()


def test_a_clerk_prints_a_task_order_in_the_browser(served, demo_db, tmp_path):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700}, accept_downloads=True)
            terminal = Terminal(page)
            page.goto(served)
            shown = terminal.wait_for("用户名", "验证码")
            page.focus("textarea.xterm-helper-textarea")  # where xterm.js takes the keyboard
            for text in ("qyjb", DEMO_PASSWORD, read_captcha(shown.splitlines())):
                page.keyboard.type(text)
                page.keyboard.press("Enter")
                terminal.settle()
            terminal.wait_for("商品房维修支取申请")
            page.keyboard.press("Enter")
            terminal.wait_for("已申请任务单信息", "WX")
            with page.expect_download(timeout=60_000) as download_info:
                page.keyboard.press("F7")  # 打印任务单
            download = download_info.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
        finally:
            browser.close()
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")
    with demo_db.read() as session:
        printed = session.execute(select(PrintedDocument)).scalars().all()
        channels = {c for (c,) in session.execute(select(BusinessLog.channel))}
    assert len(printed) == 1
    assert "浏览器" in channels
