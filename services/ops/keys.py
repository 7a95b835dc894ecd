"""`wxzj doctor`'s check of the key file kept outside the database: it seals the audit trail's head and the
动态口令 secrets are encrypted under a key derived from it, so every front-end server must hold the same file."""

from __future__ import annotations

import hmac
import stat
from pathlib import Path

from sqlalchemy import make_url, select

from models.audit_key import key_path_for, seal

SEE = "见 docs/deploy.md 第 6 节"


def key_file(database_url: str) -> Path:
    return key_path_for(make_url(database_url))


def key_file_problem(database_url: str, *, database_ok: bool = True) -> str | None:
    """None when the file is fine (or not made yet on a database that needs none), else what to do."""
    path = key_file(database_url)
    try:
        raw = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raw = None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        return f"无法读取 {path}（{reason}）；请让运行 wxzj 的账户可读（属组 wxzj-clerks、权限 640），{SEE}"
    key = None
    if raw is not None:
        try:
            key = bytes.fromhex(raw)
        except ValueError:
            key = b""
        if len(key) != 32:
            return f"{path} 的内容不是 64 位十六进制的密钥；请从第一台服务器复制该文件，{SEE}"
        mode = path.stat().st_mode
        if mode & stat.S_IRWXO:
            return f"{path} 其他账户也能读写（权限 {mode & 0o777:o}）；请执行 chmod 640，{SEE}"
    if not database_ok:
        return None
    return _against_database(database_url, path, key)


def _against_database(database_url: str, path: Path, key: bytes | None) -> str | None:
    from models import AuditHead, User
    from models.db import Database
    from services.core.errors import ServiceError
    from services.identity.otp_secret import open_secret

    db = Database(database_url)
    try:
        with db.read() as session:
            head = session.get(AuditHead, 1)
            sealed = session.execute(select(User.id, User.totp_secret).where(User.totp_secret.is_not(None))
                                     .order_by(User.id).limit(1)).first()
            if key is None:
                if head is None and sealed is None:
                    return None  # a new installation: the first business creates it (better: create it first)
                return (f"找不到 {path}，而数据库已有审计链头或动态口令：本服务器会无法办理业务、无法校验动态口令；"
                        f"请从第一台服务器复制该文件，{SEE}")
            if head is not None and not hmac.compare_digest(
                    head.seal, seal(key, head.last_id, head.last_hash, head.entries)):
                return f"{path} 不是本数据库的密钥（另一台服务器的？审计链头的签名对不上）；请复制第一台服务器的密钥文件，{SEE}"
            if sealed is not None:
                try:
                    open_secret(session, sealed[0], sealed[1])
                except ServiceError:
                    return f"{path} 不是本数据库的密钥（动态口令密钥无法解开）；请复制第一台服务器的密钥文件，{SEE}"
    finally:
        db.dispose()
    return None
