"""Many clerks, one database: N processes working through the services at once (bench/load_clerk.py), on
SQLite and on PostgreSQL; throughput and the 95th-percentile latency of each action, and `wxzj check` afterwards.

One in ten processes is a reviewer approving what the clerks submit; the others list, open, fill, submit and
print. Two mixes, each for N = 10, 50, 100:

- The think-time mix (`load_…`, the target figure `load_50_submit_p95_ms` among them): a clerk thinks before
  every action, a time drawn from a log-normal distribution with a median of THINK_S = 5 s (σ = 0.8: half
  of the thinks between 2.9 and 8.6 s, 5 % under 1.4 s, 5 % over 18 s, none over 30 s), and each clerk
  starts somewhere in its first 10 s. Why log-normal: human think times are skewed, many quick steps and
  a long tail, which is how TPC-C models its terminals (think times with a mean of 5–12 s between
  transactions). Why 5 s: it is short for a clerk. Reading a list, opening an order and choosing one
  takes seconds, but the "edit" action stands for typing a whole form (nine fields, the houses, the
  totals) that takes a person minutes, so this mix is heavier than a real office, not lighter: a clerk
  here submits an order every ~40 s. Each N runs for a fixed time (THINK_SECONDS), long enough for some
  hundred submits at N = 50 and bounded to a few minutes; no new action starts after it.
- The stress mix (`load_stress_…`, `load_sqlite_stress_…`): no thinking at all, ROUNDS rounds back to back
  with every process starting at the same moment: what the machine does when every clerk presses the
  next key the moment the previous action ends.

The machine's 1-minute load average at the end of each size is reported beside it (`…_loadavg`), because
the bench shares its cores with whatever else runs. On PostgreSQL the server logs every lock wait longer
than LOCK_WAIT_MS (log_lock_waits); `…_lock_waits` counts them, so contention shows apart from a busy CPU.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from bench.figures import BenchError, Run, produces

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 50, 100)
ROUNDS = 2  # the stress mix's rounds per process
THINK_S = 5.0
THINK_SECONDS = {10: 180, 50: 120, 100: 90}  # a similar number of submits at each size, a few minutes at most
THINK_ROUNDS = 1000  # never reached: the think-time mix ends by the clock
DEMO_HOUSES = 6000
ACTIONS = ("list", "edit", "submit", "print", "approve")
LOCK_WAIT_MS = 100


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else float("nan")


def _swarm(url: str, size: int, think_s: float = 0.0, seconds: float = math.inf,
           rounds: int | None = None) -> tuple[float, dict[str, list[float]], int]:
    reviewers = max(1, size // 10)
    tail = [str(think_s), str(seconds)] if think_s else []
    rounds = rounds or (THINK_ROUNDS if think_s else ROUNDS)
    argv = [[sys.executable, "-m", "bench.load_clerk", url, "reviewer" if i < reviewers else "clerk",
             "shenhe" if i < reviewers else "qyjb", str(i), str(rounds), *tail] for i in range(size)]
    processes = [subprocess.Popen(a, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for a in argv]
    try:
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                raise BenchError(f"a clerk did not start: {process.stderr.read()[-300:]}")
        started = time.perf_counter()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=900) for process in processes]
        wall = time.perf_counter() - started
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    samples: dict[str, list[float]] = {}
    refused = 0
    for process, (out, err) in zip(processes, outputs, strict=True):
        if process.returncode:
            raise BenchError(f"a clerk failed: {err.strip().splitlines()[-1:]}")
        for action, ms, ok in json.loads(out.strip().splitlines()[-1]):
            if ok:
                samples.setdefault(action, []).append(ms)
            else:
                refused += 1
    return wall, samples, refused


def _check(url: str) -> None:
    from models.db import Database
    from services.ops.invariants import check

    db = Database(url)
    try:
        report = check(db)
    finally:
        db.dispose()
    if not report.clean:
        raise BenchError("wxzj check found violations after the load: " + "; ".join(report.lines()[:3]))


def _figures(prefix: str, fresh_url, think_s: float, lock_waits=None) -> dict[str, float]:
    values: dict[str, float] = {}
    for size in SIZES:
        url = fresh_url(size)
        waits_before = lock_waits() if lock_waits else 0
        wall, samples, refused = _swarm(url, size, think_s, THINK_SECONDS[size] if think_s else math.inf)
        values[f"{prefix}{size}_loadavg"] = round(os.getloadavg()[0], 1)
        _check(url)
        done = sum(len(v) for v in samples.values())
        values[f"{prefix}{size}_actions_per_s"] = round(done / wall, 2)
        values[f"{prefix}{size}_failed"] = refused
        values[f"{prefix}{size}_submits"] = len(samples.get("submit", []))
        if lock_waits:
            values[f"{prefix}{size}_lock_waits"] = lock_waits() - waits_before
        for action in ACTIONS:
            values[f"{prefix}{size}_{action}_p95_ms"] = round(_p95(samples.get(action, [])))
    return values


def _register(prefix: str, backend: str, think_s: float, producer) -> None:
    figures = []
    for size in SIZES:
        how = (f"{size} processes on {backend}, think-time mix (median {think_s:g} s, {THINK_SECONDS[size]} s)"
               if think_s else f"{size} processes on {backend}, stress mix ({ROUNDS} rounds, no think time)")
        figures.append((f"{prefix}{size}_actions_per_s", "1/s", f"{how}: successful actions per second"))
        figures.append((f"{prefix}{size}_failed", "actions", f"{how}: actions refused or timed out (database busy)"))
        figures.append((f"{prefix}{size}_submits", "orders", f"{how}: orders submitted"))
        figures.append((f"{prefix}{size}_loadavg", "load", f"{how}: the machine's 1-minute load average at the end"))
        if backend == "PostgreSQL":
            figures.append((f"{prefix}{size}_lock_waits", "waits",
                            f"{how}: lock waits longer than {LOCK_WAIT_MS} ms in the server's log"))
        for action in ACTIONS:
            target = "; target ≤ 500" if (prefix == "load_" and size == 50 and action == "submit") else ""
            figures.append((f"{prefix}{size}_{action}_p95_ms", "ms", f"{how}: 95th percentile of {action}{target}"))
    produces(*figures)(producer)


def _demo(url: str) -> None:
    from services.demo.build import build_demo

    build_demo(url, "beijing", houses=DEMO_HOUSES, force=True)


def _sqlite(run: Run, prefix: str, think_s: float) -> dict[str, float]:
    template = run.workdir / "load-template.db"  # built under _host's audit key: every copy shares it
    if not template.exists():
        _demo(f"sqlite:///{template}")

    def fresh(size: int) -> str:
        path = run.workdir / f"load-{prefix}{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, path)  # audit.key sits beside them: the copy shares the template's
        return f"sqlite:///{path}"

    return _figures(prefix, fresh, think_s)


def _postgresql(run: Run, prefix: str, think_s: float) -> dict[str, float]:
    try:
        from tests.pg_server import NoServer, start_server
    except ImportError as exc:
        raise BenchError(f"skipped: no PostgreSQL test server helper ({exc})") from None
    try:
        server = start_server()
    except NoServer as exc:
        raise BenchError(f"skipped: {exc}") from None
    try:
        from sqlalchemy import create_engine, text

        admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("ALTER SYSTEM SET log_lock_waits = on"))
            conn.execute(text(f"ALTER SYSTEM SET deadlock_timeout = '{LOCK_WAIT_MS}ms'"))
            conn.execute(text("SELECT pg_reload_conf()"))
            conn.execute(text("CREATE DATABASE load_template"))
        _demo(server.url("load_template"))
        log = server.folder / "server.log"

        def lock_waits() -> int:
            return len(re.findall(r"still waiting for", log.read_text(errors="replace"))) if log.exists() else 0

        def fresh(size: int) -> str:
            with admin.connect() as conn:  # a copy of the demo database, as the SQLite runs copy their file
                conn.execute(text(f"CREATE DATABASE load_{size} TEMPLATE load_template"))
            return server.url(f"load_{size}")

        try:
            return _figures(prefix, fresh, think_s, lock_waits)
        finally:
            admin.dispose()
    finally:
        server.stop()


@contextmanager
def _host(run: Run) -> Iterator[None]:
    """The clerks' host as deployed: one data directory (short: it holds the print worker's socket) and the
    print worker on, one audit key for the demo builder and every clerk; the worker stopped at the end."""
    from services.printing import print_server

    folder = Path(tempfile.mkdtemp(prefix="wxzj-load-"))
    env = {"WXZJ_DATA_DIR": str(folder), print_server.ENV: "on",
           "WXZJ_AUDIT_KEY_FILE": str(run.workdir / "load-audit.key")}
    try:
        with mock.patch.dict(os.environ, env):
            yield
            print_server.stop(print_server.socket_path())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sqlite_load(run: Run) -> dict[str, float]:
    with _host(run):
        return _sqlite(run, "load_sqlite_", THINK_S)


def sqlite_stress(run: Run) -> dict[str, float]:
    with _host(run):
        return _sqlite(run, "load_sqlite_stress_", 0.0)


def postgresql_load(run: Run) -> dict[str, float]:
    with _host(run):
        return _postgresql(run, "load_", THINK_S)


def postgresql_stress(run: Run) -> dict[str, float]:
    with _host(run):
        return _postgresql(run, "load_stress_", 0.0)


_register("load_sqlite_", "SQLite", THINK_S, sqlite_load)
_register("load_", "PostgreSQL", THINK_S, postgresql_load)
_register("load_sqlite_stress_", "SQLite", 0.0, sqlite_stress)
_register("load_stress_", "PostgreSQL", 0.0, postgresql_stress)
