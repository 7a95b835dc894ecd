"""Figures of printing: the owners' signature table (分摊明细业主签字确认表) of a 5,000-house order."""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.figures import BenchError, Run, produces
from bench.order_figures import SUBMIT_HOUSES, build_estate, ready_order

PRINTS = 3
MB = 1_000_000


def _realistic_owners(url: str) -> None:
    """Owners named like people: the font subset, hence the file, grows with the characters used."""
    from sqlalchemy import create_engine, text

    from services.demo.names import People

    people = People(random.Random(5), ("110105",))
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE owner SET name = :name WHERE id = :id"),
                     [{"id": h, "name": people.person()[0]} for h in range(1, SUBMIT_HOUSES + 1)])
    engine.dispose()


@produces(
    ("sign_sheet_5k_s", "s", f"median of {PRINTS} prints (services.printing.documents.print_document) of the signature "
                             f"table of a submitted {SUBMIT_HOUSES:,}-house order on SQLite — snapshot read, "
                             "render, store — after one warm-up print of its task order; target ≤ 3"),
    ("sign_sheet_5k_mb", "MB", "size of that PDF in MB (10^6 bytes), owners with realistic names; target ≤ 2"),
)
def sign_sheet_figures(run: Run) -> dict[str, float]:
    from models.db import Database
    from models.migrate import upgrade
    from services.identity import auth
    from services.printing import documents as printing
    from services.task_orders import submit as task_order_submit

    url = f"sqlite:///{run.workdir / 'print.db'}"
    upgrade(url)
    build_estate(url)
    _realistic_owners(url)
    db = Database(url)
    actor = auth.actor_for_identity(db, 1)
    buildings = list(range(1, 11))
    order_id = ready_order(db, actor, buildings)
    task_order_submit.submit(db, actor, order_id, buildings)
    printing.print_document(db, actor, "task-order", order_id)
    times, sizes = [], []
    for _ in range(PRINTS):
        started = time.perf_counter()
        result = printing.print_document(db, actor, "sign-sheet", order_id)
        times.append(time.perf_counter() - started)
        sizes.append(len(result.pdf_bytes))
    db.dispose()
    return {"sign_sheet_5k_s": round(statistics.median(times), 3), "sign_sheet_5k_mb": round(max(sizes) / MB, 3)}


CHILD_PRINTS = 5


def _child_prints(cached: bool) -> tuple[float, float]:
    """Median wall and CPU milliseconds of one print child rendering a 30-house task order."""
    import resource
    from unittest import mock

    from reports import TASK_ORDER
    from services.printing import render_child
    from tests.report_samples import STAMP, sample_lines, sample_order

    data = sample_order(sample_lines(30))
    walls, cpus = [], []
    with mock.patch.object(render_child, "font_cache_dir", render_child.font_cache_dir if cached else lambda: None):
        render_child.render_elsewhere(TASK_ORDER, data, STAMP)  # the warm-up print fills the font cache
        for _ in range(CHILD_PRINTS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            render_child.render_elsewhere(TASK_ORDER, data, STAMP)
            walls.append((time.perf_counter() - started) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return round(statistics.median(walls)), round(statistics.median(cpus))


@produces(
    ("print_child_ms", "ms", f"median wall time of {CHILD_PRINTS} print children (services.printing.render_child) "
                             "each rendering a 30-house task order, the font cache (reports.font_cache) warm"),
    ("print_child_cpu_ms", "ms", "median CPU time (user + system) of those print children"),
    ("print_child_nocache_ms", "ms", "the same print children without the font cache: each parses the fonts again"),
    ("print_child_nocache_cpu_ms", "ms", "median CPU time of the print children without the font cache"),
)
def print_child_figures(run: Run) -> dict[str, float]:
    import os
    from unittest import mock

    with mock.patch.dict(os.environ, {"WXZJ_DATA_DIR": str(run.workdir / "print-child-data"), "WXZJ_PRINT_SERVER": "off"}):
        wall, cpu = _child_prints(cached=True)
        cold_wall, cold_cpu = _child_prints(cached=False)
    return {"print_child_ms": wall, "print_child_cpu_ms": cpu,
            "print_child_nocache_ms": cold_wall, "print_child_nocache_cpu_ms": cold_cpu}


def _proc_cpu_s(pid: int) -> float:
    """CPU seconds of a process and of its children it has waited for (the worker reaps its prints)."""
    import os

    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


@produces(
    ("print_worker_ms", "ms", f"median wall time of {CHILD_PRINTS} prints of a 30-house task order forked from the "
                              "host's print worker (services.printing.print_server)"),
    ("print_worker_cpu_ms", "ms", "CPU time per print of those prints (the worker's and its children's, from /proc)"),
    ("print_worker_rss_mb", "MB", "resident memory of the print worker after those prints (10^6 bytes)"),
)
def print_worker_figures(run: Run) -> dict[str, float]:
    import os
    from unittest import mock

    from reports import TASK_ORDER
    from services.printing import print_server, render_child
    from tests.report_samples import STAMP, sample_lines, sample_order

    data = sample_order(sample_lines(30))
    folder = Path(tempfile.mkdtemp(prefix="wxzj-pw-"))  # short: a socket's path has room for 107 bytes
    with mock.patch.dict(os.environ, {"WXZJ_DATA_DIR": str(folder), print_server.ENV: "on"}):
        path = print_server.socket_path()
        try:
            render_child.render_elsewhere(TASK_ORDER, data, STAMP)  # starts the worker
            deadline = time.monotonic() + 60
            while not path.with_suffix(".pid").exists():
                if time.monotonic() > deadline:
                    raise BenchError("the print worker did not start")
                time.sleep(0.05)
            pid = int(path.with_suffix(".pid").read_text())
            render_child.render_elsewhere(TASK_ORDER, data, STAMP)
            walls = []
            cpu = _proc_cpu_s(pid)
            for _ in range(CHILD_PRINTS):
                started = time.perf_counter()
                render_child.render_elsewhere(TASK_ORDER, data, STAMP)
                walls.append((time.perf_counter() - started) * 1000)
            cpu = (_proc_cpu_s(pid) - cpu) / CHILD_PRINTS
            rss = int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0]) * 1024
        finally:
            print_server.stop(path)
            shutil.rmtree(folder, ignore_errors=True)
    return {"print_worker_ms": round(statistics.median(walls)), "print_worker_cpu_ms": round(cpu * 1000),
            "print_worker_rss_mb": round(rss / MB, 1)}
