"""`wxzj demo`: a deterministic demo database with realistic data for one city profile.

The same seed gives the same data; only the created_at timestamps follow the clock.
A SQLite demo is built in a temporary file beside the target and renamed into place when complete,
so neither a failed nor a killed build ever leaves a half-built database where `wxzj --demo` looks.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import cell_len
from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from models import register_all
from models.db import make_engine
from models.migrate import upgrade
from models.schema import sqlite_path
from services.core.clock import utcnow
from services.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from services.demo.directory import City, DirectoryPlanner
from services.demo.fund import LOW_BALANCE_FEN, EstateBuilder, EstateCounts
from services.demo.names import People
from services.demo.orders import create_review_orders
from services.demo.task_orders import create_task_orders
from services.task_orders.queries import STATUS_LABELS
from services.core.profiles import get_profile

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoError", "DemoSummary", "build_demo"]

MAX_HOUSES = 2_000_000
BUILDING_SUFFIX = ".building"
_CITIES = {
    "beijing": dict(phone_area="010", postcode="100", home_district="110105",
                    authority_suffix="住房和城乡建设委员会维修资金管理部", competent_dept="北京市住房和城乡建设委员会",
                    building_suffix="号楼", address_suffix="号"),
    "shanghai": dict(phone_area="021", postcode="200", home_district="310115",
                     authority_suffix="房屋管理局维修资金管理部", competent_dept="上海市房屋管理局",
                     building_suffix="号", address_suffix="弄"),
}


class DemoError(Exception):
    """Why the demo database cannot be built, in Chinese for the operator."""


@dataclass
class DemoSummary:
    title: str
    districts: int
    enterprises: int
    offices: int
    developers: int
    communities: int
    users: int
    estate: EstateCounts
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (user name, roles, organisations)
    spare_people: list[tuple[str, str]] = field(default_factory=list)  # (name, mobile) to add as operators
    orders: dict[str, int] = field(default_factory=dict)  # status label → count
    url: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        e = self.estate
        lines = [
            f"演示数据库已建立：{self.title}",
            f"区县 {self.districts} 个（各有管理部及审核员 1 名）",
            f"物业服务企业 {self.enterprises} 家（小区管理处 {self.offices} 个），开发企业 {self.developers} 家",
            f"小区 {self.communities:,} 个",
            f"自然幢 {e.buildings:,} 幢",
            f"房屋 {e.houses:,} 户（开发企业持有未售房屋 {e.unsold:,} 户）",
            f"业主 {e.persons:,} 人（持有多套房屋 {e.multi_owners:,} 人）",
            f"分户账 {e.houses:,} 户，账目 {e.entries:,} 笔，余额合计 {_yuan(e.balance_fen)} 元",
            f"余额不足 {LOW_BALANCE_FEN // 100} 元的房屋 {e.low_balance:,} 户",
            "任务单 " + ("，".join(f"{label} {n} 张" for label, n in self.orders.items()) or "无"),
            f"用户 {self.users} 个，演示账户（密码均为 {DEMO_PASSWORD}）：",
        ]
        width = max(cell_len(roles) for _, roles, _ in self.accounts)
        lines += [f"  {name:<11}{roles}{' ' * (width - cell_len(roles))}  {orgs}"
                  for name, roles, orgs in self.accounts]
        if self.spare_people:
            lines.append("实名登记中尚未开户的人员（操作员管理-增加时可用）：" +
                         "、".join(f"{name} {mobile}" for name, mobile in self.spare_people[:3]))
        lines += [f"数据库：{self.url}", f"用时 {self.seconds:.1f} 秒"]
        return lines


def build_demo(url: str, profile: str, *, houses: int = 6000, seed: int = 2026, force: bool = False,
               orders: bool = True, progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Build the demo database at `url`, replacing an existing one only with `force`; `orders=False`
    leaves out the task orders (for tests that start from a clean order book)."""
    started = time.perf_counter()
    say = progress or (lambda _text: None)
    city = _city(profile)
    if not 1 <= houses <= MAX_HOUSES:
        raise DemoError(f"房屋户数应在 1 到 {MAX_HOUSES:,} 之间，实际为：{houses:,}")
    path = sqlite_path(url)
    target = url
    if path is not None:
        _check_file(path, force)
        # Built beside the file and renamed over it only when complete: a build killed midway
        # leaves the old database (or none) and a stray temporary file, never a half-built one.
        building = path.with_name(path.name + BUILDING_SUFFIX)
        _remove_sqlite(building)
        target = url.replace(str(path), str(building), 1)
    elif make_url(url).get_backend_name() == "sqlite":
        raise DemoError("演示数据库须建在 SQLite 文件里，内存数据库在建成后即消失")
    else:
        _clear_server(url, force)
    try:
        say("正在建立表结构 …")
        upgrade(target)
        summary = _populate(target, city, houses, seed, say)
        _enrol_otp_demo(target)
        if orders:
            say("正在生成演示任务单 …")
            # The review step comes after the drafts and submissions, which it leaves as they are.
            summary.orders = _order_labels(create_task_orders(target, seed) + create_review_orders(target, seed))
        if path is not None:
            _move_into_place(building, path)
    except BaseException as exc:
        if path is not None:
            _remove_sqlite(building)
        if isinstance(exc, (SQLAlchemyError, OSError)):
            raise DemoError(f"建立演示数据库失败：{exc}") from exc
        raise
    summary.url = make_url(url).render_as_string(hide_password=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _enrol_otp_demo(url: str) -> None:
    from models.db import Database
    from services.demo.otp_demo import enrol_demo_account

    db = Database(url)
    try:
        enrol_demo_account(db)
    finally:
        db.dispose()


def _city(profile: str) -> City:
    try:
        return City(profile=get_profile(profile), **_CITIES[profile])
    except ValueError as exc:
        raise DemoError(str(exc)) from None


def _populate(url: str, city: City, houses: int, seed: int, say: Callable[[str], None]) -> DemoSummary:
    rng = random.Random(seed)
    people = People(rng, tuple(code for code, _ in city.profile.districts))
    say("正在生成单位、用户和小区 …")
    directory = DirectoryPlanner(rng, people, city, utcnow()).plan(houses)
    engine = _bulk_engine(url)
    try:
        with engine.begin() as conn:
            directory.write(conn)
        say(f"正在生成房屋、业主和分户账（约 {houses:,} 户）…")
        estate = EstateBuilder(engine, rng, people, city, directory).build(houses, say)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                _continue_sequences(conn)
    finally:
        engine.dispose()
    return DemoSummary(
        title=city.profile.title,
        districts=len(directory.district_ids),
        enterprises=len(directory.enterprises),
        offices=len(directory.offices),
        developers=len(directory.developers),
        communities=len(directory.communities),
        users=len(directory.user_ids),
        estate=estate,
        accounts=directory.account_lines(),
        spare_people=directory.spare_people,
    )


def _bulk_engine(url: str) -> Engine:
    """The app's engine, plus SQLite settings that are safe only while nobody else uses the new file:
    no fsync (a crash means building again anyway) and a large page cache for the indexes."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _fast(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA synchronous = OFF")
            cur.execute("PRAGMA cache_size = -262144")
            cur.execute("PRAGMA temp_store = MEMORY")
            cur.close()
    return engine


def _continue_sequences(conn: Connection) -> None:
    """The rows came with their ids, which PostgreSQL's id sequences never saw: move each past its highest."""
    for table in register_all().sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            name = conn.dialect.identifier_preparer.quote(table.name)
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), max(id)) FROM {name}"),
                         {"table": name})


def _check_file(path: Path, force: bool) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DemoError(f"无法创建数据目录 {path.parent}：{exc.strerror}") from None
    if not os.access(path.parent, os.W_OK):
        raise DemoError(f"数据目录不可写：{path.parent}，请检查目录权限")
    if path.exists() and not force:
        raise DemoError(f"数据库已存在：{path}，如需重建请加 --force")


def _move_into_place(building: Path, path: Path) -> None:
    """Fold the new file's write-ahead log into it, drop the old file's log (it would be replayed
    onto the new file), then rename: one atomic step from the old database to the new one."""
    con = sqlite3.connect(building)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
    finally:
        con.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(building, path)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _clear_server(url: str, force: bool) -> None:
    shown = make_url(url).render_as_string(hide_password=True)
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
        if tables and not force:
            raise DemoError(f"数据库已有数据表：{shown}，如需重建请加 --force")
        if tables:
            register_all().drop_all(engine)
            with engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    except SQLAlchemyError as exc:
        raise DemoError(f"无法连接数据库 {shown}：{exc.__class__.__name__}: {exc}") from None
    finally:
        engine.dispose()


def _order_labels(made) -> dict[str, int]:
    return {STATUS_LABELS[status]: n for status, n in sorted(made.items(), key=lambda kv: list(STATUS_LABELS).index(kv[0]))}


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"

