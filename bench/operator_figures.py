"""Figures of 操作员管理: a page of the operator list out of 100,000 operators, and the bytes a cursor
move in that list costs on an 80×24 xterm (bench/operators_app.py, the real screen, no login)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from bench.figures import BenchError, Run, produces
from bench.pty_session import PtySession, terminal_env

ROOT = Path(__file__).resolve().parent.parent
APP = [sys.executable, str(Path(__file__).with_name("operators_app.py"))]
OPERATORS, IN_ONE = 100_000, 10_000
ENTERPRISES = OPERATORS // IN_ONE
REPEATS = 21
COLS, ROWS = 80, 24
SETTLE_S = 0.3
LAUNCH_TIMEOUT_S = 30.0
KEY_TIMEOUT_S = 10.0
DOWN, UP = b"\x1b[B", b"\x1b[A"
MOVES = [DOWN] * 8 + [UP] * 4
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def operators_db(run: Run) -> str:
    """Enterprise 1 (with one community office) holds 10,000 operators, nine others 10,000 each;
    one administrator of enterprise 1 is identity 1. Built once per run."""
    path = run.workdir / "operators.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    from sqlalchemy import create_engine, insert

    from models import Identity, Organisation, User
    from models.migrate import upgrade
    from services.identity.passwords import hash_password

    upgrade(url)
    engine = create_engine(url)
    password = hash_password("Bench1234")
    orgs = [{"id": e, "kind": "enterprise", "parent_id": None, "name": f"物业服务企业{e}",
             "credit_code": f"9111010500000000{e:02d}"} for e in range(1, ENTERPRISES + 1)]
    orgs.append({"id": ENTERPRISES + 1, "kind": "office", "parent_id": 1, "name": "物业服务企业1花园管理处",
                 "credit_code": None})
    users, identities = [], []
    for n in range(OPERATORS + 1):
        enterprise = 1 if n <= IN_ONE else 1 + (n - 1) // IN_ONE
        organisation = ENTERPRISES + 1 if enterprise == 1 and n % 5 == 4 else enterprise
        role = "enterprise_admin" if n == 0 else ("office_operator" if organisation > ENTERPRISES
                                                  else "enterprise_operator")
        mobile = f"139{n:08d}"
        users.append({"id": n + 1, "username": str(100_000 + n + 1), "mobile": mobile, "password_hash": password,
                      "real_name": SURNAMES[n % 20] + GIVEN[(n // 20) % len(GIVEN)] + GIVEN[(n // 500) % len(GIVEN)],
                      "status": "disabled" if n % 17 == 16 else "active"})
        identities.append({"id": n + 1, "user_id": n + 1, "organisation_id": organisation, "role": role,
                           "mobile": mobile, "status": "disabled" if n % 17 == 16 else "active"})
    with engine.begin() as conn:
        conn.execute(insert(Organisation), orgs)
        conn.execute(insert(User), users)
        conn.execute(insert(Identity), identities)
    engine.dispose()
    return url


def _median_ms(call) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


@produces(
    ("operators_page_100k_ms", "ms", f"{OPERATORS:,} operators ({IN_ONE:,} in the administrator's enterprise): "
                                     f"the slower of the medians over {REPEATS} calls of the first filtered page "
                                     "(状态 正常使用, 类别 物业管理企业, with the total) and of the next page; "
                                     "SQLite; target ≤ 50"),
    ("operators_first_page_100k_ms", "ms", "the first filtered page's median alone"),
    ("operators_next_page_100k_ms", "ms", "the next page's median alone"),
    ("operators_name_page_100k_ms", "ms", "the first page filtered by 操作员姓名 contains one character"),
)
def operator_pages(run: Run) -> dict[str, float]:
    from models.db import Database
    from services.admin import operators_query as q
    from services.identity.auth import actor_for_identity

    db = Database(operators_db(run))
    try:
        actor = actor_for_identity(db, 1)
        flt = q.OperatorFilter(status="active", category="enterprise")
        first = q.list_operators(db, actor, flt)
        if first.total < IN_ONE // 2 or not first.has_next:
            raise BenchError(f"the filtered list found only {first.total} operators")
        after = first.rows[-1].identity_id
        first_ms = _median_ms(lambda: q.list_operators(db, actor, flt))
        next_ms = _median_ms(lambda: q.list_operators(db, actor, flt, after=after))
        name_ms = _median_ms(lambda: q.list_operators(db, actor, q.OperatorFilter(name="明")))
    finally:
        db.dispose()
    return {"operators_page_100k_ms": max(first_ms, next_ms), "operators_first_page_100k_ms": first_ms,
            "operators_next_page_100k_ms": next_ms, "operators_name_page_100k_ms": name_ms}


@produces(("operator_move_bytes", "B", f"median written to an {COLS}×{ROWS} xterm-256color pty per cursor move "
                                       f"({len(MOVES)} moves within the view) in the operator list of "
                                       f"{IN_ONE:,} operators; target ≤ 200"))
def operator_moves(run: Run) -> dict[str, float]:
    env = terminal_env()
    env["WXZJ_BENCH_DATABASE_URL"] = operators_db(run)
    with PtySession(APP, env, COLS, ROWS, cwd=ROOT) as session:
        session.read_until_quiet(SETTLE_S, LAUNCH_TIMEOUT_S, showing=("共", "操作员ID"))
        moves = []
        for key in MOVES:
            session.send(key)
            moves.append(len(session.read_until_quiet(SETTLE_S, KEY_TIMEOUT_S).data))
        if session.ended:
            raise BenchError("the operator list app ended before its measurements were done")
    return {"operator_move_bytes": statistics.median(moves)}
