"""Many clerks, one database: N processes working through the services at once (bench/load_clerk.py), on
SQLite and on PostgreSQL; throughput and the 95th-percentile latency of each action, and `wxzj check` afterwards.

One in ten processes is a reviewer approving what the clerks submit; the others list, open, fill, submit and
print. Every process starts its rounds at the same moment."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.figures import BenchError, Run, produces

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 50, 100)
ROUNDS = 3
DEMO_HOUSES = 6000
ACTIONS = ("list", "edit", "submit", "print", "approve")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else float("nan")


def _swarm(url: str, size: int) -> tuple[float, dict[str, list[float]], int]:
    reviewers = max(1, size // 10)
    argv = [[sys.executable, "-m", "bench.load_clerk", url, "reviewer" if i < reviewers else "clerk",
             "shenhe" if i < reviewers else "qyjb", str(i), str(ROUNDS)] for i in range(size)]
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


def _figures(prefix: str, fresh_url) -> dict[str, float]:
    values: dict[str, float] = {}
    for size in SIZES:
        url = fresh_url(size)
        wall, samples, refused = _swarm(url, size)
        _check(url)
        done = sum(len(v) for v in samples.values())
        values[f"{prefix}{size}_actions_per_s"] = done / wall
        values[f"{prefix}{size}_failed"] = refused
        for action in ACTIONS:
            values[f"{prefix}{size}_{action}_p95_ms"] = _p95(samples.get(action, []))
    return values


def _register(prefix: str, backend: str, producer) -> None:
    figures = []
    for size in SIZES:
        figures.append((f"{prefix}{size}_actions_per_s", "1/s",
                        f"{size} processes on {backend}, {ROUNDS} rounds each: successful actions per second"))
        figures.append((f"{prefix}{size}_failed", "actions", f"actions refused or timed out (database busy) with {size} "
                                                       f"processes on {backend}"))
        for action in ACTIONS:
            target = "; target ≤ 500" if (backend == "PostgreSQL" and size == 50 and action == "submit") else ""
            figures.append((f"{prefix}{size}_{action}_p95_ms", "ms",
                            f"95th percentile of {action} with {size} processes on {backend}{target}"))
    produces(*figures)(producer)


def _demo(url: str) -> None:
    from services.demo.build import build_demo

    build_demo(url, "beijing", houses=DEMO_HOUSES, force=True)


def sqlite_load(run: Run) -> dict[str, float]:
    template = run.workdir / "load-template.db"
    if not template.exists():
        _demo(f"sqlite:///{template}")

    def fresh(size: int) -> str:
        path = run.workdir / f"load-{size}.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"

    return _figures("load_sqlite_", fresh)


def postgresql_load(run: Run) -> dict[str, float]:
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

        def fresh(size: int) -> str:
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE load_{size}"))
            url = server.url(f"load_{size}")
            _demo(url)
            return url

        try:
            return _figures("load_", fresh)
        finally:
            admin.dispose()
    finally:
        server.stop()


_register("load_sqlite_", "SQLite", sqlite_load)
_register("load_", "PostgreSQL", postgresql_load)

