"""Figures of the app as a clerk meets it on an 80×24 xterm: how long until the login screen takes
keys, and how many bytes the terminal receives on the way there and afterwards."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.figures import BenchError, Run, produces
from bench.pty_session import PtySession, terminal_env

ROOT = Path(__file__).resolve().parent.parent
APP = [sys.executable, "-m", "tui"]
BARE_APP = [sys.executable, str(Path(__file__).with_name("bare_app.py"))]
COLS, ROWS = 80, 24
# A screen is complete once output stops for this long: Textual paints each change within a frame
# (1/60 s), and a blinking cursor's first toggle comes 0.5 s after focus, later than this.
SETTLE_S = 0.3
LAUNCH_TIMEOUT_S = 30.0
KEY_TIMEOUT_S = 10.0
LAUNCHES = 5
DEMO_HOUSES = 2000
LOGIN_SHOWS = ("登录", "用户名")
TYPED = "zhangsan1"
IDLE_S = 5.0
FOCUS_REPORTS = (b"\x1b[O", b"\x1b[I")  # focus out, focus in (mode 1004, which Textual turns on)


def _app_env(run: Run) -> dict[str, str]:
    """The app's environment over a demo database built once per run; settings of
    whoever runs the bench (WXZJ_*, a config file) must not change the figures."""
    database = run.workdir / "bench.db"
    env = {k: v for k, v in terminal_env().items() if not k.startswith("WXZJ_")}
    env.update(WXZJ_DATABASE_URL=f"sqlite:///{database}", WXZJ_DEMO="0",
               WXZJ_CONFIG=os.fspath(run.workdir / "absent-config.toml"))
    if not database.exists():
        built = subprocess.run([*APP, "demo", "--houses", str(DEMO_HOUSES), "--force"], env=env, cwd=ROOT,
                               stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if built.returncode:
            last_line = (built.stderr.strip().splitlines() or ["no message"])[-1]
            raise BenchError(f"wxzj demo failed with exit code {built.returncode}: {last_line}")
    return env


def _launch_s(argv: list[str], env: dict[str, str], shows: tuple[str, ...]) -> float:
    with PtySession(argv, env, COLS, ROWS, cwd=ROOT) as session:
        burst = session.read_until_quiet(SETTLE_S, LAUNCH_TIMEOUT_S, showing=shows)
    return burst.last - session.started


@produces(
    ("startup_s", "s", f"median of {LAUNCHES} launches of `python -m tui` ({DEMO_HOUSES}-house demo database): "
                       f"spawn to the last byte before {SETTLE_S:g} s of quiet on the login screen; target ≤ 1.0"),
    ("startup_bare_s", "s", "the same for bench/bare_app.py, a bare Textual app with one Input, "
                            "launched in turn with the app"),
    ("startup_ratio", "×", "startup_s / startup_bare_s; target ≤ 1.5"),
)
def startup(run: Run) -> dict[str, float]:
    # The launches alternate so that both medians see the same machine load: the ratio needs that.
    app_env, bare_env = _app_env(run), terminal_env()
    app, bare = [], []
    for _ in range(LAUNCHES):
        app.append(_launch_s(APP, app_env, LOGIN_SHOWS))
        bare.append(_launch_s(BARE_APP, bare_env, ()))
    app_s, bare_s = statistics.median(app), statistics.median(bare)
    return {"startup_s": app_s, "startup_bare_s": bare_s, "startup_ratio": app_s / bare_s}


@produces(
    ("startup_bytes", "B", f"written to an {COLS}×{ROWS} xterm-256color pty from launch to the settled "
                           "login screen; target ≤ 6000"),
    ("idle_bytes_per_s", "B/s", f"written while the login screen is left alone for {IDLE_S:g} s; target 0"),
    ("login_key_bytes", "B/char", f"median written per character typing {TYPED!r} into the user name; "
                                  "target ≤ 60"),
    ("focus_bytes", "B", "written after a focus-out then a focus-in report; target ≤ 200"),
)
def login_session(run: Run) -> dict[str, float]:
    with PtySession(APP, _app_env(run), COLS, ROWS, cwd=ROOT) as session:
        startup = session.read_until_quiet(SETTLE_S, LAUNCH_TIMEOUT_S, showing=LOGIN_SHOWS)
        idle = session.read_for(IDLE_S)
        typed = []
        for char in TYPED:
            session.send(char.encode())
            typed.append(len(session.read_until_quiet(SETTLE_S, KEY_TIMEOUT_S).data))
        focus = 0
        for report in FOCUS_REPORTS:
            session.send(report)
            focus += len(session.read_until_quiet(SETTLE_S, KEY_TIMEOUT_S).data)
        if session.ended:
            raise BenchError("the app ended before the login session's measurements were done")
    return {
        "startup_bytes": len(startup.data),
        "idle_bytes_per_s": len(idle) / IDLE_S,
        "login_key_bytes": statistics.median(typed),
        "focus_bytes": focus,
    }
