"""Which schema revision the code needs and which one a database has.

The check runs before the app starts, so for SQLite it reads the revision with the standard
library instead of paying for SQLAlchemy and Alembic imports on every launch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Keep equal to the newest file in models/migrations/versions (a test checks it).
HEAD_REVISION = "0003_hardencore"


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite:/// URL, or None for other databases and in-memory ones."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix):].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def current_revision(url: str) -> str | None:
    """The revision stamped in the database, or None when it has no schema yet."""
    path = sqlite_path(url)
    if path is not None:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if row is None:
                return None
            found = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return found[0] if found else None
        finally:
            con.close()
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
