"""Bytes a clerk's terminal receives for the everyday moves after login, on the real app and the demo
database at 80×24: changing screens, one step in a menu or a list, one field to the next in a form.
Each move's bytes are counted until the screen has been quiet for SETTLE_S, with a terminal emulator
(pyte) following along so each wait ends on what the clerk would see."""

from __future__ import annotations

import time
import zlib

from bench.app_figures import APP, COLS, ROOT, ROWS, _app_env
from bench.figures import BenchError, Run, produces
from bench.pty_session import PtySession
from bench.screen_text import EmulatedScreen

SETTLE_S = 0.5  # longer than a worker's database round trip on a loaded machine
USER = "qyjb"
DOWN, UP, ENTER, ESCAPE, TAB = b"\x1b[B", b"\x1b[A", b"\r", b"\x1b", b"\t"
HOME_SHOWS = "角色：企业经办人"
ORDERS_SHOWS = "已申请任务单信息"
DRAFTS_SHOWS = "未完成的任务单草稿"
LOG_SHOWS = "业务流水查询"
FORM_SHOWS = "新建任务单-选择自然幢"
GRID_SHOWS = "新建任务单-选择房屋"
FORM_MOVES = 4


class _Clerk:
    def __init__(self, session: PtySession) -> None:
        self.session = session
        self.screen = EmulatedScreen(session, COLS, ROWS)
        self.moves: dict[str, bytes] = {}

    def press(self, name: str, key: bytes, *shows: str, any_of: tuple[str, ...] = ()) -> bytes:
        """Send `key`, read until the screen shows every one of `shows` (and one of `any_of`) and is
        quiet; the bytes are kept as `name`."""
        self.session.send(key)
        chunks = []
        deadline = time.monotonic() + 30
        while True:  # the screen, not the bytes, must show them: unchanged cells are not re-sent
            chunks.append(self.session.read_until_quiet(SETTLE_S, 30).data)
            self.screen.feed(chunks[-1])
            text = self.screen.text()
            missing = [wanted for wanted in shows if wanted not in text]
            if any_of and not any(wanted in text for wanted in any_of):
                missing.append(" or ".join(any_of))
            if not missing:
                break
            if time.monotonic() > deadline or self.session.ended:
                raise BenchError(f"{name}: the screen does not show {missing}:\n{self.screen.text()}")
        self.moves[name] = data = b"".join(chunks)
        return data


def _log_in(clerk: _Clerk) -> None:
    from services.demo.accounts import DEMO_PASSWORD
    from tui.captcha_art import read as read_captcha

    shown = clerk.screen.wait_for("用户名", "验证码", timeout=60)
    for text in (USER + "\r", DEMO_PASSWORD + "\r"):
        clerk.screen.type(text, settle=SETTLE_S)
    clerk.press("login", (read_captcha(shown.splitlines()) + "\r").encode(), HOME_SHOWS)


def _journey(run: Run) -> dict[str, bytes]:
    with PtySession(APP, _app_env(run), COLS, ROWS, cwd=ROOT) as session:
        clerk = _Clerk(session)
        _log_in(clerk)
        press = clerk.press
        press("home_down", DOWN)
        press("home_up", UP)
        press("home_to_orders", ENTER, DRAFTS_SHOWS)  # the first visit offers the open draft
        press("drafts_later", ESCAPE, ORDERS_SHOWS)
        press("list_down", DOWN)
        press("list_up", UP)
        press("orders_to_home", ESCAPE, HOME_SHOWS)
        press("home_down_again", DOWN)
        press("home_to_log", ENTER, LOG_SHOWS)
        press("log_to_home", ESCAPE, HOME_SHOWS)
        press("home_up_again", UP)
        press("home_to_orders_again", ENTER, DRAFTS_SHOWS)
        press("open_draft", ENTER, any_of=(GRID_SHOWS, FORM_SHOWS))  # where the clerk left it
        if GRID_SHOWS in clerk.screen.text():
            press("grid_to_form", ESCAPE, FORM_SHOWS)
        for move in range(FORM_MOVES):
            press(f"form_tab_{move + 1}", TAB)
        if session.ended:
            raise BenchError("the app ended before the journey was done")
        return clerk.moves


SWITCHES = ("home_to_orders", "drafts_later", "orders_to_home", "home_to_log", "log_to_home")
MENU_MOVES = ("home_down", "home_up", "list_down", "list_up")


def _deflated(moves: dict[str, bytes]) -> dict[str, int]:
    """Each move's bytes through one deflate stream for the whole session, flushed after each move, as
    `ssh -C` sends them (without SSH's own packet overhead)."""
    stream = zlib.compressobj(6)
    return {name: len(stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)) for name, data in moves.items()}


@produces(
    ("screen_switch_bytes", "B", f"the most written for one of {', '.join(SWITCHES)} (login as {USER}; the first "
                                 "visit to the order list offers the open draft, closed with Escape); target ≤ 5000"),
    ("screen_switch_bytes_z", "B", "the same moves deflated as SSH compression sends them (one zlib stream, "
                                   "flushed per move): the largest"),
    ("menu_move_bytes", "B", "the most written for one ↓ or ↑ in the Home menu and in the order list; target ≤ 200"),
    ("form_field_bytes", "B", f"the most written for Tab from one task-order form field to the next "
                              f"({FORM_MOVES} moves from the first field); target ≤ 300"),
)
def switch_figures(run: Run) -> dict[str, float]:
    moves = _journey(run)
    deflated = _deflated(moves)
    return {
        "screen_switch_bytes": max(len(moves[name]) for name in SWITCHES),
        "screen_switch_bytes_z": max(deflated[name] for name in SWITCHES),
        "menu_move_bytes": max(len(moves[name]) for name in MENU_MOVES),
        "form_field_bytes": max(len(moves[f"form_tab_{move + 1}"]) for move in range(FORM_MOVES)),
    }


def journey_report(run: Run) -> list[tuple[str, int, int]]:
    """Every move with its bytes and deflated bytes, for a person looking for what to shrink next."""
    moves = _journey(run)
    deflated = _deflated(moves)
    return [(name, len(data), deflated[name]) for name, data in moves.items()]
