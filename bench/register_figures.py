"""The Beijing 未认证用户注册 wizard (BJ-01..03) as a clerk drives it at 80×24 under a pty: what the terminal
receives from F3 on the login screen to the success page."""

from __future__ import annotations

import re
import sqlite3

from bench.app_figures import APP, COLS, KEY_TIMEOUT_S, LAUNCH_TIMEOUT_S, LOGIN_SHOWS, ROOT, ROWS, SETTLE_S, _app_env
from bench.figures import BenchError, Run, produces
from bench.pty_session import PtySession

F3, F5, F9 = b"\x1bOR", b"\x1b[15~", b"\x1b[20~"
MOBILE = "13511112222"
# (field value, Enter) in the form's order; the 证件类型 choice keeps 居民身份证 (Enter alone).
FORM = ("赵敏", "", "11010519491231002X", "京华物业服务有限公司", "91350100M000100Y43", MOBILE,
        "zhaomin@example.com", "zhaomin", "Jinghua@2026", "Jinghua@2026")


def _code(run: Run) -> str:
    with sqlite3.connect(run.workdir / "bench.db") as con:
        row = con.execute("SELECT text FROM outbox_message WHERE recipient = ? ORDER BY id DESC LIMIT 1",
                          (MOBILE,)).fetchone()
    found = re.search(r"(\d{6})", row[0]) if row else None
    if not found:
        raise BenchError("no verification code reached the outbox")
    return found.group(1)


@produces(
    ("register_flow_bytes", "B", f"written to an {COLS}×{ROWS} pty for the whole Beijing registration wizard: F3 on "
                                 "the login screen, the ten fields typed with Enter, F5 for the SMS code, the code "
                                 "and F9, up to the success page (report only, no target yet)"),
)
def register_flow(run: Run) -> dict[str, float]:
    with PtySession(APP, _app_env(run), COLS, ROWS, cwd=ROOT) as session:
        session.read_until_quiet(SETTLE_S, LAUNCH_TIMEOUT_S, showing=LOGIN_SHOWS)
        total = 0

        def step(keys: bytes, showing: tuple[str, ...] | None = None) -> None:
            nonlocal total
            session.send(keys)
            total += len(session.read_until_quiet(SETTLE_S, KEY_TIMEOUT_S, showing=showing).data)

        step(F3, ("未认证用户注册",))
        for value in FORM:
            for char in value:
                step(char.encode())
            step(b"\r")
        step(F5, ("已发送",))
        for char in _code(run):
            step(char.encode())
        step(F9, ("激活成功",))
        if session.ended:
            raise BenchError("the app ended before the registration was done")
    return {"register_flow_bytes": total}
