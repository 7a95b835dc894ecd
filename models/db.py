"""Engine and transactions.

SQLite is tuned for many SSH sessions sharing one file: WAL so readers never wait for the
writer, a busy timeout so writers queue instead of failing, foreign keys enforced, and every
write transaction opened with BEGIN IMMEDIATE so two writers cannot both read then collide
on the upgrade to a write lock.

PostgreSQL waits on row and table locks instead: every connection gets `lock_timeout` equal to
SQLite's busy timeout, so a lock held past it cancels the waiting statement ("canceling statement
due to lock timeout", which models.faults reads as 数据库忙，请稍后重试) instead of hanging the
clerk's screen, the command line or a worker for as long as the other transaction lasts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

BUSY_TIMEOUT_MS = 15_000
# SQLite's own page cache per connection (its default is 2 MB). The kernel caches the database file once
# for every clerk's process on the server; a big cache here would hold a copy of it in each session
# (~2 MB of a session's growth over its first journeys; bench session_rss_growth_mb).
SQLITE_CACHE_KIB = 512


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy's "begin" event below decide how a transaction starts.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        if engine.url.database not in (None, "", ":memory:") and "mode=ro" not in str(engine.url):
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        options = conn.get_execution_options()
        # Set per transaction: a pooled connection must not keep a short wait from its last user.
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(options.get('busy_ms') or BUSY_TIMEOUT_MS)}")
        conn.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
        return engine
    # Sent with the connection's start-up packet: no extra round trip per transaction.
    return create_engine(url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={int(BUSY_TIMEOUT_MS)}"})


class Database:
    """The application's handle on its database: read and write transactions, nothing more."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = url.startswith("sqlite")
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        self._write_sessions = sessionmaker(writer, class_=Session, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, class_=Session, expire_on_commit=False)

    @contextmanager
    def write(self, busy_ms: int | None = None) -> Iterator[Session]:
        """One write transaction: committed whole when the block ends, rolled back on any error.
        `busy_ms` waits less than the default for another writer (the login screen must not hang
        for 15 s on a locked database)."""
        if busy_ms is None:
            with self._write_sessions() as session, session.begin():
                yield session
            return
        options = {"busy_ms": busy_ms, **({"sqlite_begin": "IMMEDIATE"} if self.is_sqlite else {})}
        with Session(self.engine.execution_options(**options), expire_on_commit=False) as session, \
                session.begin():
            if not self.is_sqlite:
                session.execute(text(f"SET LOCAL lock_timeout = {int(busy_ms)}"))
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
