"""The audit key file and the seal it makes (used by services.core.audit_seal and the 0003_hardencore
migration, which seals an upgraded database's trail): storage-level primitives, no business rules."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "audit.key"


def key_path_for(url) -> Path:
    explicit = os.environ.get("WXZJ_AUDIT_KEY_FILE")
    if explicit:
        return Path(explicit)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = url.database.removeprefix("file:")
        return Path(database).parent / KEY_FILE
    data = os.environ.get("WXZJ_DATA_DIR") or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share") / "wxzj"
    return Path(data) / KEY_FILE


def load_key_at(path: Path, *, create: bool) -> bytes | None:
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two sessions starting at once agree on one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def seal(key: bytes, last_id: int, last_hash: str, entries: int) -> str:
    return hmac.new(key, f"{last_id}|{last_hash}|{entries}".encode("ascii"), hashlib.sha256).hexdigest()


