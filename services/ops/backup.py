"""`wxzj backup` and `wxzj restore`: a consistent copy of the whole database, taken while clerks work.

SQLite: the online backup API copies the database inside one read transaction, so writers carry on and
the copy is one moment of the database (a plain file copy of a WAL database is not).
PostgreSQL: pg_dump in its custom format, restored with pg_restore. Either way the copy is written next
to its destination and renamed into place, so a failed backup never leaves a half file under its name.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.schema import sqlite_path

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Why a backup or restore could not be made; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int


def backup(url: str, target: Path) -> BackupResult:
    target = target.expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} 是目录，请给出备份文件名")
    if not target.parent.is_dir():
        raise BackupError(f"目录不存在：{target.parent}")
    source = sqlite_path(url)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    try:
        if source is not None:
            _sqlite_backup(source, Path(partial))
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], "pg_dump", url)
        os.replace(partial, target)
    except OSError as exc:
        raise BackupError(_os_message(exc, target)) from exc
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return BackupResult(target, target.stat().st_size)


def restore(url: str, source: Path, *, force: bool = False) -> None:
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    target = sqlite_path(url)
    if target is not None:
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} 不是 SQLite 数据库备份")
        _require_schema(source)
        if target.exists() and target.stat().st_size and not force:
            raise BackupError(f"数据库 {target} 已存在；确认要用备份覆盖它时加 --force")
        _sqlite_restore(source, target)
        return
    if not head.startswith(PG_DUMP_MAGIC):
        raise BackupError(f"{source} 不是 pg_dump 的备份（custom 格式）")
    if _pg_has_tables(url) and not force:
        raise BackupError("目标数据库中已有数据表；确认要用备份覆盖它时加 --force")
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", str(source)], "pg_restore", url)


def _sqlite_backup(source: Path, partial: Path) -> None:
    if not source.exists():
        raise BackupError(f"数据库文件不存在：{source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=15)
    dst = sqlite3.connect(partial)
    try:
        # One step: under WAL the copy reads one snapshot while writers carry on. (Stepwise copying would
        # restart whenever another connection writes, and never finish under a steady load.)
        src.backup(dst)
        (check,) = dst.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise BackupError(f"备份校验失败：{check}")
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败：{exc}") from exc
    finally:
        dst.close()
        src.close()


def _sqlite_restore(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
            src.close()
        for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            stale.unlink(missing_ok=True)  # they belong to the database being replaced
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败：{exc}") from exc
    except OSError as exc:
        raise BackupError(_os_message(exc, target)) from exc
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _require_schema(path: Path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} 无法读取：{exc}") from exc
    finally:
        con.close()
    if found is None:
        raise BackupError(f"{path} 不是 wxzj 数据库的备份（没有结构版本表）")


def _pg_has_tables(url: str) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _run(command: list[str], tool: str, url: str) -> None:
    """Run a PostgreSQL tool against `url`; the password goes in the environment, never on the command line."""
    from sqlalchemy.engine import make_url

    if shutil.which(tool) is None:
        raise BackupError(f"找不到 {tool}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）")
    parts = make_url(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    dsn = parts.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    target = "--dbname=" + dsn
    done = subprocess.run([*command[:1], target, *command[1:]], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["未知错误"])[-1]
        raise BackupError(f"{tool} 失败：{last}")


def _os_message(exc: OSError, path: Path) -> str:
    if exc.errno == 28:  # ENOSPC
        return f"磁盘空间不足，无法写入 {path}"
    return f"无法写入 {path}：{exc.strerror or exc}"
