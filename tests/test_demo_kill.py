"""C11: a `wxzj demo --force` killed at any moment leaves the old database or a complete new one,
never a half-built file the start-up check would accept."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from services.demo.build import build_demo
from tui.startup import check_database

ROOT = Path(__file__).resolve().parent.parent
OLD_HOUSES, NEW_HOUSES = 300, 4000


def _houses(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM house").fetchone()[0]
    finally:
        con.close()


def test_a_killed_forced_rebuild_leaves_the_old_or_the_new_database(tmp_path):
    path = tmp_path / "data" / "wxzj.db"
    url = f"sqlite:///{path}"
    build_demo(url, "beijing", houses=OLD_HOUSES, orders=False)
    reference = tmp_path / "reference.db"
    build_demo(f"sqlite:///{reference}", "beijing", houses=NEW_HOUSES, orders=False)
    old, new = _houses(path), _houses(reference)
    env = {**os.environ, "WXZJ_DATA_DIR": str(tmp_path / "data"), "WXZJ_DATABASE_URL": url}
    seen = set()
    for delay in (1.0, 2.0, 3.0, 4.5):
        worker = subprocess.Popen([sys.executable, "-m", "tui.cli", "demo", "--force", "--houses", str(NEW_HOUSES)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = worker.poll() is not None
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert check_database(url) is None, f"killed after {delay}s: the start-up check refuses what is left"
        houses = _houses(path)
        assert houses in (old, new), f"killed after {delay}s: {houses} houses"
        seen.add("new" if houses == new else "old")
        if finished:
            break
    assert "old" in seen  # at least one kill landed mid-build and the old database survived it
    # a build left to finish replaces the file, and what a killed one left beside it is cleared
    build_demo(url, "beijing", houses=NEW_HOUSES, orders=False, force=True)
    assert _houses(path) == new
    assert sorted(p.name for p in path.parent.iterdir() if "building" in p.name) == []
