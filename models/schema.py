"""Which schema revision the code needs and which one a database has.

The check runs before the app starts, so for SQLite it reads the revision with the standard
library instead of paying for SQLAlchemy and Alembic imports on every launch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Every migration in models/migrations/versions, oldest first (a test checks it against Alembic's chain).
# Order comes from this list, not from comparing names: "0003_b" may follow "0003_a" or precede it.
REVISIONS = ("0001", "0002", "0003_accounts", "0003_operators", "0003_struct", "0003_assoc", "0003_hardencore", "0003_sshkey", "0003_otp")
HEAD_REVISION = REVISIONS[-1]


def is_behind(revision: str) -> bool:
    """True for a revision older than the code's head; False for the head and for unknown ones newer than it."""
    if revision in REVISIONS:
        return REVISIONS.index(revision) < len(REVISIONS) - 1
    return revision[:4] < HEAD_REVISION[:4]  # an unknown one: by its number (a downgrade left it, or a newer program)


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
