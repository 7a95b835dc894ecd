"""One transfer measurement in a process of its own, so that its peak memory is its own:
`python -m bench.transfer_run export|import WORKDIR` prints {"seconds": …, "peak_mb": …} as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROWS = 100_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def export_figure(workdir: Path) -> dict[str, float]:
    """100,000 business-log rows of one filter, queried and written to XLSX as the export key does."""
    from sqlalchemy import create_engine, text

    from models.db import Database
    from models.migrate import upgrade
    from services.records import business_log_query as q
    from services.transfer import export

    url = f"sqlite:///{workdir / 'export.db'}"
    upgrade(url)
    engine = create_engine(url)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO user_account (username, real_name, password_hash, status, failed_attempts, "
                          "must_change_password, created_at, version) VALUES ('root', '系统管理员', 'x', 'active', 0, "
                          "0, :now, 1)"), {"now": start})
        conn.execute(text("INSERT INTO business_log (serial_no, application_no, business_type, channel, occurred_at, "
                          "user_id, status) VALUES (:s, :a, '商品房维修支取', '终端', :t, 1, '成功')"),
                     [{"s": f"LS{i:014d}", "a": f"WX{i:014d}", "t": start + timedelta(seconds=i)} for i in range(ROWS)])
    engine.dispose()
    db = Database(url)
    from services.core.actor import Actor

    actor = Actor(1, None, "root", "系统管理员", "sysadmin", None, "", None, None)
    from screens.records.business_log import COLUMNS  # the on-screen names (no Textual app is started)

    started = time.perf_counter()
    table = export.ExportTable("业务流水", COLUMNS, [
        (r.serial_no, r.application_no, r.business_type, r.channel, r.occurred_at, r.operator, r.status)
        for r in q.export_rows(db, actor, q.LogFilter())])
    result = export.export_xlsx(db, actor, table)
    seconds = time.perf_counter() - started
    db.dispose()
    if result.rows != ROWS:
        raise SystemExit(f"exported {result.rows} rows, expected {ROWS}")
    return {"seconds": round(seconds, 3), "peak_mb": round(_peak_mb(), 1)}


if __name__ == "__main__":
    kind, folder = sys.argv[1], Path(sys.argv[2])
    figure = {"export": export_figure}[kind]
    print(json.dumps(figure(folder)))
