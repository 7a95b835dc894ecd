"""One transfer measurement in a process of its own, so that its peak memory is its own:
`python -m bench.transfer_run export|import WORKDIR` prints {"seconds": …, "peak_mb": …} as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
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


def _import_files(workdir: Path) -> tuple[Path, Path, Path]:
    """50 communities of 20 buildings of 100 houses (2 units × 25 floors × 2 rooms), owners with
    valid resident ID numbers (one in ten holding a second house), the developer holding unsold ones."""
    from services.core.checkcodes import credit_code_check_char, id_card_check_char, org_code_check_char
    from services.transfer import importer, xlsx

    def write(kind: str, rows) -> Path:
        from services.transfer.kinds import KINDS

        titles = [c.title for c in KINDS[kind].columns]
        path = workdir / f"{kind}.xlsx"
        path.write_bytes(xlsx.workbook(kind, titles, [12] * len(titles), rows))
        return path

    org = "MA000001"
    first17 = "91110105" + org + org_code_check_char(org)
    developer = first17 + credit_code_check_char(first17)
    communities = write("communities", ([f"朝阳区", f"测试小区{c:02d}", "北京测试房地产开发有限公司", f"朝阳路{c}号"]
                                        for c in range(50)))
    buildings = write("buildings", ([f"朝阳区", f"测试小区{c:02d}", f"{b + 1}号楼", 2, 25, 0]
                                    for c in range(50) for b in range(20)))

    def houses():
        n = 0
        for c in range(50):
            for b in range(20):
                for unit in (1, 2):
                    for floor in range(1, 26):
                        for room in (1, 2):
                            n += 1
                            if n % 25 == 0:
                                owner = ["单位", "北京测试房地产开发有限公司", "统一社会信用代码", developer]
                            else:
                                person = n - 1 if n % 10 == 0 else n  # every tenth owner holds two houses
                                born = date(1960, 1, 1) + timedelta(days=person // 1000)
                                body = f"110105{born:%Y%m%d}{person % 1000:03d}"
                                owner = ["个人", f"业主{person}", "居民身份证", body + id_card_check_char(body)]
                            yield ["朝阳区", f"测试小区{c:02d}", f"{b + 1}号楼", unit, floor, room,
                                   f"{floor}{room:02d}", "住宅", Decimal(f"{80 + n % 60}.{n % 100:02d}"), *owner,
                                   f"138{n:08d}", Decimal(f"{1000 + n % 9000}.{n % 100:02d}"), None]

    return communities, buildings, write("houses", houses())


def import_figure(workdir: Path) -> dict[str, float]:
    """100,000 houses with owners and balances from XLSX: checked and committed, as `wxzj import` does."""
    from models.db import Database
    from models.migrate import upgrade
    from services.transfer import importer
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{workdir / 'import.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO district (code, name, city) VALUES ('110105', '朝阳区', '北京市')"))
        conn.execute(text("INSERT INTO user_account (username, real_name, password_hash, status, failed_attempts, "
                          "must_change_password, created_at, version) VALUES ('root', '系统管理员', 'x', 'active', 0, "
                          "0, :now, 1)"), {"now": datetime.now(timezone.utc)})
    engine.dispose()
    communities, buildings, houses = _import_files(workdir)
    db = Database(url)
    from services.core.actor import Actor

    actor = Actor(1, None, "root", "系统管理员", "sysadmin", None, "", None, None)
    for kind, path in (("communities", communities), ("buildings", buildings)):
        if not importer.import_file(db, actor, kind, path).written:
            raise SystemExit(f"{kind} were not imported")
    started = time.perf_counter()
    result = importer.import_file(db, actor, "houses", houses)
    seconds = time.perf_counter() - started
    db.dispose()
    if not (result.ok and result.written and result.rows == ROWS):
        raise SystemExit(f"houses not imported: {result.lines()} {result.issues[:3]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(_peak_mb(), 1)}


if __name__ == "__main__":
    kind, folder = sys.argv[1], Path(sys.argv[2])
    figure = {"export": export_figure, "import": import_figure}[kind]
    print(json.dumps(figure(folder)))
