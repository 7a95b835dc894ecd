"""The memory of one app process over a clerk's journey (bench/rss_journey.py runs it in a process of its own)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.figures import BenchError, Run, produces

ROOT = Path(__file__).resolve().parent.parent
DEMO_HOUSES = 6000

JOURNEYS = 20


@produces(
    ("session_rss_login_mb", "MB", "resident memory of one app process (bench/rss_journey.py) at the login screen"),
    ("session_rss_mb", "MB", "the same after logging in, opening the 33-floor tower's house grid and printing a "
                             "signature table; target ≤ 80"),
    ("session_rss_growth_mb", "MB", f"growth over {JOURNEYS - 1} more such journeys in the same session; target ≈ 0"),
    ("session_rss_settled_growth_mb", "MB", f"growth over the last {JOURNEYS // 2} of them, once the allocator has "
                                            "settled"),
    ("session_private_mb", "MB", "the part of the resident set after the last journey that no other process "
                                 "shares (libraries are mapped once per server)"),
    ("screen_gc_median_ms", "ms", "median time of the collection after a screen has closed (tui.memory) on the journeys"),
    ("screen_gc_p95_ms", "ms", "95th percentile of the same"),
)
def session_rss(run: Run) -> dict[str, float]:
    from models.db import Database
    from services.demo.accounts import DEMO_PASSWORD
    from services.identity import auth
    from services.task_orders import submit as task_order_submit
    from tests.orders import ready_draft

    path = run.workdir / "rss.db"
    if not path.exists():
        from services.demo.build import build_demo

        build_demo(f"sqlite:///{path}", "beijing", houses=DEMO_HOUSES, orders=False, force=True)
        db = Database(f"sqlite:///{path}")
        login = auth.authenticate(db, "qyjb", DEMO_PASSWORD)
        actor = auth.enter(db, login, login.identities[0].identity_id)
        task_order_submit.submit(db, actor, *ready_draft(db, actor, houses=200))
        db.dispose()
    # As docs/deploy.md runs sessions: PYTHONOPTIMIZE=2 on bytecode compiled for it, which a first journey
    # writes here (into a cache of the bench's own, not beside the sources).
    env = {**os.environ, "HOME": str(run.workdir / "home"), "PYTHONOPTIMIZE": "2",
           "PYTHONPYCACHEPREFIX": str(run.workdir / "pyc-lean")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for repeats in (1, JOURNEYS):
        done = subprocess.run([sys.executable, "-m", "bench.rss_journey", f"sqlite:///{path}", str(repeats)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode:
            raise BenchError(f"the journey failed: {done.stderr.strip().splitlines()[-1:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"session_rss_login_mb": figures["login"], "session_rss_mb": figures["first"],
            "session_rss_growth_mb": figures["last"] - figures["first"],
            "session_rss_settled_growth_mb": figures["last"] - figures["half"], "session_private_mb": figures["private_last"],
            "screen_gc_median_ms": figures["gc_median_ms"], "screen_gc_p95_ms": figures["gc_p95_ms"]}
