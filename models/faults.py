"""Storage faults in one clear Chinese line (C10): a database busy past its timeout, a full disk, a
read-only or unreachable database. The caller shows the line and logs the traceback; None means the
error is not a storage fault and stays a bug to report."""

from __future__ import annotations

import errno

BUSY = "数据库忙，请稍后重试"
DISK_FULL = "磁盘空间不足，请清理磁盘后重试"
READ_ONLY = "数据库只读，无法保存，请检查数据库文件及其目录的权限"
UNREACHABLE = "无法连接数据库，请检查数据库服务和配置"

_PATTERNS = (
    (("database is locked", "database table is locked", "lock timeout", "lock_timeout",
      "could not obtain lock", "deadlock detected", "canceling statement due to lock timeout"), BUSY),
    (("database or disk is full", "disk is full", "no space left on device", "could not extend file",
      "disk full"), DISK_FULL),
    (("attempt to write a readonly database", "read-only file system", "readonly database"), READ_ONLY),
    (("unable to open database file", "connection refused", "could not connect", "connection failed",
      "server closed the connection"), UNREACHABLE),
)


def storage_fault(error: BaseException) -> str | None:
    """The line to show for `error` (or the error it wraps), or None."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if not _storage_error(current):
            current = current.__cause__ or current.__context__
            continue
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return DISK_FULL
        if isinstance(current, OSError) and current.errno == errno.EROFS:
            return READ_ONLY
        text = str(current).lower()
        for needles, message in _PATTERNS:
            if any(n in text for n in needles):
                return message
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def _storage_error(error: BaseException) -> bool:
    """Only errors of the storage itself are read for their wording: a ValueError that happens to
    say "disk full" is still a bug."""
    if isinstance(error, OSError):
        return True
    return type(error).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg", "alembic")
