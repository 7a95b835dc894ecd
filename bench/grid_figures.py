"""Figures of the house grid (新建任务单-选择房屋) on an 80×24 xterm: bench/grid_app.py with a
100-floor building of 3 units × 4 rooms, driven by keys; bytes counted at the pty, times taken
inside the app and written to a file when it quits."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from bench.figures import BenchError, Run, produces
from bench.pty_session import PtySession, terminal_env

ROOT = Path(__file__).resolve().parent.parent
APP = [sys.executable, str(Path(__file__).with_name("grid_app.py"))]
COLS, ROWS = 80, 24
SETTLE_S = 0.3  # as in app_figures: Textual paints a change within a frame
LAUNCH_TIMEOUT_S = 30.0
KEY_TIMEOUT_S = 10.0
RIGHT, LEFT, UP, DOWN = b"\x1b[C", b"\x1b[D", b"\x1b[A", b"\x1b[B"
PAGE_DOWN, SPACE, ENTER, ESCAPE = b"\x1b[6~", b" ", b"\r", b"\x1b"
# A zig-zag over every column of the first view and back: none of these moves scrolls, and
# cells far from the left edge count as much as near ones.
MOVES = [RIGHT, DOWN, RIGHT, UP] * 4 + [RIGHT] + [LEFT] * 9
TICKS = 10  # one house in each column of the view, left to right
PAGES = 3


@produces(
    ("grid_open_ms", "ms", "the 100-floor × 12-room grid (1,200 houses) built, mounted and first painted, "
                           "timed inside bench/grid_app.py; target ≤ 200"),
    ("grid_move_ms", "ms", f"median over {len(MOVES)} cursor moves of the app's CPU time from the key's "
                           "arrival to the end of the screen update; target ≤ 10"),
    ("grid_move_bytes", "B", f"median written to an {COLS}×{ROWS} xterm-256color pty per cursor move "
                             "(arrows within the view); target ≤ 150"),
    ("grid_tick_bytes", "B", f"median written per space (ticking a house in each of {TICKS} columns), the "
                             "screen's status line with the tick count included; target ≤ 150"),
    ("grid_page_bytes", "B", f"median written per PageDown ({PAGES} pages, each scrolling the whole grid); "
                             "target ≤ 6000"),
    ("card_open_bytes", "B", "written for opening the house card (Enter) and closing it (Escape); "
                             "target ≤ 16000"),
)
def grid_session(run: Run) -> dict[str, float]:
    timings_file = run.workdir / "grid-timings.json"
    env = terminal_env()
    env["WXZJ_GRID_TIMINGS"] = str(timings_file)

    with PtySession(APP, env, COLS, ROWS, cwd=ROOT) as session:
        session.read_until_quiet(SETTLE_S, LAUNCH_TIMEOUT_S, showing=("1单元", "100F"))

        def written(key: bytes) -> int:
            session.send(key)
            return len(session.read_until_quiet(SETTLE_S, KEY_TIMEOUT_S).data)

        moves = [written(key) for key in MOVES]
        ticks = []
        for _ in range(TICKS):
            ticks.append(written(SPACE))
            written(RIGHT)
        pages = [written(PAGE_DOWN) for _ in range(PAGES)]
        card = written(ENTER) + written(ESCAPE)
        if session.ended:
            raise BenchError("the grid app ended before its measurements were done")
    try:
        timings = json.loads(timings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchError(f"the grid app left no timings in {timings_file}: {exc}") from None
    move_ms = [ms for ms in timings["key_ms"][:len(MOVES)] if ms is not None]
    if len(move_ms) < len(MOVES) or timings["open_ms"] is None:
        raise BenchError(f"the grid app did not repaint on every move: {timings}")
    return {
        "grid_open_ms": round(timings["open_ms"], 1),
        "grid_move_ms": round(statistics.median(move_ms), 2),
        "grid_move_bytes": statistics.median(moves),
        "grid_tick_bytes": statistics.median(ticks),
        "grid_page_bytes": statistics.median(pages),
        "card_open_bytes": card,
    }
