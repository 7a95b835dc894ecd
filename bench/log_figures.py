"""业务流水查询 at scale: 1,000,000 business-log rows over 200 organisations, every single filter and every pair
of filters, first page and next (keyset) page, as an enterprise with community offices would query them."""

from __future__ import annotations

import itertools
import random
import sqlite3
import statistics
import time
from datetime import date, datetime, timedelta, timezone

from bench.figures import Run, produces

ROWS = 1_000_000
ORGANISATIONS = 200
REPEATS = 5
TYPES = ("登录", "退出登录", "新建任务单", "保存任务单草稿", "提交任务单", "撤销任务单", "打印任务单", "打印签字确认表",
         "补打", "修改密码", "维修支取审核通过", "维修支取审批退回", "物业区域关联申请", "单位信息变更", "业主表决录入")
TYPE_WEIGHTS = (30, 25, 8, 12, 6, 1, 5, 4, 2, 2, 2, 1, 0.5, 0.2, 1.3)
CHANNELS = ("终端", "浏览器", "命令行")
CHANNEL_WEIGHTS = (85, 14, 1)
FIRST_DAY = datetime(2025, 1, 1, tzinfo=timezone.utc)
DAYS = 700


def _build(path) -> dict:
    """A migrated database holding the log; returns what the queries need to know about it."""
    from models.migrate import upgrade

    url = f"sqlite:///{path}"
    upgrade(url)
    rng = random.Random(22)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("INSERT INTO district (id, code, name, city) VALUES (1, '110105', '朝阳区', '北京市')")
    created = "2025-01-01 00:00:00.000000"
    orgs = []
    for i in range(1, ORGANISATIONS + 1):
        orgs.append((i, "enterprise", None, f"物业企业{i}", f"91110105{i:010d}"))
    # Every tenth enterprise runs two community offices, whose rows the enterprise sees too.
    next_id = ORGANISATIONS + 1
    offices = {}
    for parent in range(1, ORGANISATIONS + 1, 10):
        offices[parent] = [next_id, next_id + 1]
        for office in offices[parent]:
            orgs.append((office, "office", parent, f"物业企业{parent}管理处{office}", None))
        next_id += 2
    con.executemany("INSERT INTO organisation (id, kind, parent_id, district_id, status, name, credit_code, "
                    "created_at, version) VALUES (?, ?, ?, 1, 'active', ?, ?, ?, 1)",
                    [(*o[:3], o[3], o[4], created) for o in orgs])
    con.executemany("INSERT INTO user_account (id, username, real_name, password_hash, status, failed_attempts, "
                    "must_change_password, created_at, version) VALUES (?, ?, ?, 'x', 'active', 0, 0, ?, 1)",
                    [(o[0], f"u{o[0]}", f"经办人{o[0]}", created) for o in orgs])
    con.executemany("INSERT INTO identity (user_id, organisation_id, role, status, created_at) "
                    "VALUES (?, ?, ?, 'active', ?)",
                    [(o[0], o[0], "enterprise_admin" if o[1] == "enterprise" else "enterprise_operator", created)
                     for o in orgs])
    org_ids = [o[0] for o in orgs]
    numbers = []

    def rows():
        seconds = DAYS * 86_400
        for n in range(1, ROWS + 1):
            org = rng.choice(org_ids)
            at = FIRST_DAY + timedelta(seconds=rng.randrange(seconds))
            kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
            number = f"WX{at:%Y%m%d}{n:06d}" if kind not in ("登录", "退出登录", "修改密码") else None
            if number and len(numbers) < 50:
                numbers.append((org, number))
            yield (n, f"LS{n:014d}", number, kind, rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
                   at.strftime("%Y-%m-%d %H:%M:%S.%f"), org, org, "成功")

    con.executemany("INSERT INTO business_log (id, serial_no, application_no, business_type, channel, occurred_at, "
                    "user_id, organisation_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()
    return {"url": url, "offices": offices, "numbers": numbers}


def _actor(org_id: int, kind: str = "enterprise"):
    from services.core.actor import Actor

    return Actor(user_id=org_id, identity_id=None, username=f"u{org_id}", real_name="", role="enterprise_admin",
                 organisation_id=org_id, organisation_name="", organisation_kind=kind, district_id=1)


def _filters(number: str) -> dict[str, dict]:
    """Each single filter, as the clerk sets them."""
    return {
        "dates": {"start": date(2025, 6, 1), "end": date(2025, 6, 30)},
        "type": {"business_type": "提交任务单"},
        "rare_type": {"business_type": "单位信息变更"},
        "channel": {"channel": "命令行"},
        "number": {"application_no": number},
    }


def measure(url: str, org_id: int, number: str) -> dict[str, float]:
    """Median first-page and next-page milliseconds for no filter, each filter and each pair."""
    from models.db import Database
    from services.records.business_log_query import LogFilter, query_log

    db = Database(url)
    actor = _actor(org_id)
    singles = _filters(number)
    combos = {"none": {}}
    combos.update(singles)
    for (a, fa), (b, fb) in itertools.combinations(singles.items(), 2):
        if "business_type" in fa and "business_type" in fb:
            continue  # one type at a time: the screen offers a choice
        combos[f"{a}+{b}"] = {**fa, **fb}
    timings: dict[str, float] = {}
    try:
        query_log(db, actor, LogFilter())  # warm the connection and the page cache
        for name, fields in combos.items():
            flt = LogFilter(**fields)
            first, second = [], []
            for _ in range(REPEATS):
                started = time.perf_counter()
                page = query_log(db, actor, flt)
                first.append((time.perf_counter() - started) * 1000)
                if page.next is not None:
                    started = time.perf_counter()
                    query_log(db, actor, flt, 2, page.next)
                    second.append((time.perf_counter() - started) * 1000)
            timings[f"{name} first"] = statistics.median(first)
            if second:
                timings[f"{name} next"] = statistics.median(second)
    finally:
        db.dispose()
    return timings


@produces(("log_page_1m_ms", "ms", f"worst median of {REPEATS} (first page and next keyset page) over no filter, "
                                   "each single filter (date range, type, rare type, channel, 申请编号) and every "
                                   f"pair, for an enterprise with offices and one without, {ROWS:,} rows over "
                                   f"{ORGANISATIONS} enterprises (+40 offices) on SQLite; target ≤ 50"))
def log_figures(run: Run) -> dict[str, float]:
    built = _build(run.workdir / "log-1m.db")
    with_offices = next(iter(built["offices"]))
    without = 2
    number = next(n for org, n in built["numbers"] if org == without) if any(
        org == without for org, _ in built["numbers"]) else built["numbers"][0][1]
    worst = 0.0
    report = []
    for org_id in (with_offices, without):
        timings = measure(built["url"], org_id, number)
        name, value = max(timings.items(), key=lambda kv: kv[1])
        report.append(f"org {org_id}: worst {name} {value:.1f} ms")
        worst = max(worst, value)
    print("  " + "; ".join(report), flush=True)
    return {"log_page_1m_ms": worst}
