"""Figures of import and export (BY-06), each measured in a child process for its own peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.figures import BenchError, Run, produces

ROOT = Path(__file__).resolve().parent.parent


def _child(kind: str, run: Run) -> dict[str, float]:
    folder = run.workdir / f"transfer-{kind}"
    folder.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "bench.transfer_run", kind, str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise BenchError(f"{kind} failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@produces(
    ("export_100k_rows_s", "s", "one export of a 100,000-row business-log filter on SQLite: the query of every row "
                                "(business_log_query.export_rows) and the XLSX (services.transfer.export); target ≤ 10"),
    ("export_100k_rows_mb", "MB", "peak resident memory of the process that made that export; target ≤ 300"),
)
def export_figures(run: Run) -> dict[str, float]:
    measured = _child("export", run)
    return {"export_100k_rows_s": measured["seconds"], "export_100k_rows_mb": measured["peak_mb"]}


@produces(
    ("import_100k_houses_s", "s", "`wxzj import houses` of an XLSX of 100,000 houses with owners (valid resident ID "
                                  "numbers, one in ten holding two houses, the developer the unsold ones) and opening "
                                  "balances into an empty SQLite estate: reading, checking every row, writing houses, "
                                  "owners, accounts and opening entries in one transaction; target ≤ 30"),
    ("import_100k_houses_mb", "MB", "peak resident memory of the process that made that import; target ≤ 300"),
)
def import_figures(run: Run) -> dict[str, float]:
    measured = _child("import", run)
    return {"import_100k_houses_s": measured["seconds"], "import_100k_houses_mb": measured["peak_mb"]}
