"""Figures of the app over SSH on a slow link (64 kbit/s, 75 ms each way: a remote office's line), with and
without SSH compression: how long a typed character takes to come back, and how long opening the order list
and the house grid of the 33-floor tower take, from the key leaving the clerk's machine to the last byte of
the answer."""

from __future__ import annotations

import os
import shutil
import statistics
import time

from bench.app_figures import _app_env
from bench.figures import BenchError, Run, produces
from bench.pty_session import PtySession, terminal_env
from bench.screen_text import EmulatedScreen
from bench.slow_link import SlowLink
from bench.sshd import SSHD, start_sshd, wxzj_command
from models.schema import sqlite_path

RATE_BPS, DELAY_S = 64_000, 0.075
ROUND_TRIP_MS = 2 * DELAY_S * 1000
ECHOES = 9
SETTLE_S = 0.4  # longer than the link's round trip, so a screen counts as drawn only once it is


def _journey(run: Run, compression: bool) -> dict[str, float]:
    from services.demo.accounts import DEMO_PASSWORD
    from tui.captcha_art import read as read_captcha

    url = _app_env(run)["WXZJ_DATABASE_URL"]
    folder = run.workdir / f"sshd-{'z' if compression else 'plain'}"
    server = start_sshd(folder, wxzj_command(url, run.workdir / "ssh-data"))
    try:
        with SlowLink(server.port, RATE_BPS, DELAY_S) as link, \
                PtySession(server.ssh_argv("-tt", port=link.port, compression=compression), terminal_env()) as session:
            screen = EmulatedScreen(session)
            shown = screen.wait_for("用户名", "验证码", timeout=60, settle=SETTLE_S)
            echoes = []
            for char in "qyjbqyjbq"[:ECHOES]:
                sent = time.monotonic()
                session.send(char.encode())
                burst = session.read_until_quiet(SETTLE_S, 15, showing=[])
                screen.feed(burst.data)
                echoes.append(_first_byte_ms(sent, burst))
            session.send(b"\x15")  # ctrl+u: clear the field again
            screen.feed(session.read_until_quiet(SETTLE_S, 15).data)
            for text in ("qyjb\r", DEMO_PASSWORD + "\r", read_captcha(shown.splitlines()) + "\r"):
                screen.type(text, settle=SETTLE_S)
            screen.wait_for("商品房维修支取申请", timeout=30, settle=SETTLE_S)
            before = screen.received
            sent = time.monotonic()
            session.send(b"\r")
            burst = session.read_until_quiet(SETTLE_S, 30, showing=["已申请任务单信息"])
            screen.feed(burst.data)
            open_ms = (burst.last - sent) * 1000
            open_bytes = screen.received - before
            grid_ms, grid_bytes = _open_grid(session, screen, _tower_community(url))
            session.send(b"\x11")
            session.read_until_quiet(SETTLE_S, 15)
    finally:
        server.process.terminate()
        server.process.wait(10)
    suffix = "_z" if compression else ""
    return {f"ssh_echo_ms{suffix}": statistics.median(echoes), f"ssh_open_orders_ms{suffix}": open_ms,
            f"ssh_open_orders_bytes{suffix}": open_bytes, f"ssh_open_grid_ms{suffix}": grid_ms,
            f"ssh_open_grid_bytes{suffix}": grid_bytes}


def _tower_community(url: str) -> str:
    """The community whose 1号楼 is the demo's 33-floor tower (services.demo.estate.special_shapes)."""
    import sqlite3

    con = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
    try:
        found = con.execute(
            "SELECT c.name FROM house h JOIN building b ON b.id = h.building_id JOIN community c ON c.id = b.community_id"
            " WHERE b.name = '1号楼' GROUP BY b.id HAVING max(h.floor) = 33").fetchone()
    finally:
        con.close()
    if found is None:
        raise BenchError("the bench database has no 33-floor tower")
    return found[0]


def _open_grid(session: PtySession, screen: EmulatedScreen, community: str) -> tuple[float, int]:
    """新建任务单 (F2) → the tower's community (typed: the cards filter by name) → the building cards
    (Shift+Tab from the first field; 1号楼 comes first) → Enter: the house grid, timed from that Enter."""
    for _ in range(3):  # the list offers the clerk's unfinished drafts in a popup: 稍后再说 (Esc), then F2
        if "稍后再说" in screen.text():
            screen.type("\x1b", settle=SETTLE_S)
        screen.type("\x1bOQ", settle=SETTLE_S)  # F2
        if "新建任务单-选择小区" in screen.text():
            break
    screen.wait_for("新建任务单-选择小区", timeout=30, settle=SETTLE_S)
    screen.type(community, settle=SETTLE_S)
    screen.type("\r", settle=SETTLE_S)
    screen.wait_for("新建任务单-选择自然幢", timeout=30, settle=SETTLE_S)
    screen.type("\x1b[Z", settle=SETTLE_S)  # shift+tab: from 项目名称 back round to the building cards
    before = screen.received
    sent = time.monotonic()
    session.send(b"\r")
    burst = session.read_until_quiet(SETTLE_S, 30, showing=["本幢", "33F"])
    screen.feed(burst.data)
    return (burst.last - sent) * 1000, screen.received - before


def _first_byte_ms(sent: float, burst) -> float:
    if burst.last is None:
        raise BenchError("a typed character was not echoed")
    return (burst.first - sent) * 1000


def _available() -> None:
    if not (os.path.exists(SSHD) and shutil.which("ssh")):
        raise BenchError("skipped: openssh-server is not installed (apt-get install openssh-server)")


HOW = f"over ssh -tt through a {RATE_BPS // 1000} kbit/s link with {DELAY_S * 1000:g} ms each way (bench/slow_link.py)"


@produces(
    ("ssh_echo_ms", "ms", f"median of {ECHOES}: a character typed on the login screen, from leaving the client to "
                          f"the first byte of its echo, {HOW}, no compression; target ≤ {ROUND_TRIP_MS + 30:g}"),
    ("ssh_open_orders_ms", "ms", f"Enter on 商品房维修支取申请 at Home to the last byte of the order list, {HOW}, "
                                 "no compression; target ≤ 1000"),
    ("ssh_open_orders_bytes", "B", "bytes the client received for that screen change, no compression"),
    ("ssh_open_grid_ms", "ms", "Enter on the 33-floor tower's building card (新建任务单, first community) to the last "
                               f"byte of its house grid, {HOW}, no compression; target ≤ 1200"),
    ("ssh_open_grid_bytes", "B", "bytes the client received for the house grid, no compression"),
)
def plain(run: Run) -> dict[str, float]:
    _available()
    return _journey(run, compression=False)


@produces(
    ("ssh_echo_ms_z", "ms", "ssh_echo_ms with SSH compression (Compression yes)"),
    ("ssh_open_orders_ms_z", "ms", "ssh_open_orders_ms with SSH compression"),
    ("ssh_open_orders_bytes_z", "B", "terminal bytes for that screen change (the link carried their deflated form)"),
    ("ssh_open_grid_ms_z", "ms", "ssh_open_grid_ms with SSH compression"),
    ("ssh_open_grid_bytes_z", "B", "terminal bytes for the house grid (the link carried their deflated form)"),
)
def compressed(run: Run) -> dict[str, float]:
    _available()
    return _journey(run, compression=True)
