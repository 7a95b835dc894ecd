"""TOTP secrets at rest: AES-256-GCM under a key derived from the installation's audit key file.

The ciphertext is bound to its user (associated data), so a secret copied onto another account's row
does not decrypt. Front-end servers sharing one database share the key file (WXZJ_AUDIT_KEY_FILE), as
the audit seal already requires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from typing import TYPE_CHECKING

from sqlmodel import Session

from services.core.audit_seal import load_key
from services.core.errors import ServiceError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "g1:"
KEY_LABEL = b"wxzj totp secret v1"


def _cipher(session: Session) -> "AESGCM":
    # cryptography (~6 MB resident) is imported by the first sealed secret, not by every clerk's process.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    master = load_key(session, create=True)
    return AESGCM(hmac.new(master, KEY_LABEL, hashlib.sha256).digest())


def seal_secret(session: Session, user_id: int, secret: bytes) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(session).encrypt(nonce, secret, str(user_id).encode("ascii"))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_secret(session: Session, user_id: int, stored: str) -> bytes:
    if not stored.startswith(PREFIX):
        raise ServiceError("动态口令数据无法读取，请联系单位管理员重置动态口令", field="code")
    from cryptography.exceptions import InvalidTag

    raw = base64.urlsafe_b64decode(stored[len(PREFIX):])
    try:
        return _cipher(session).decrypt(raw[:12], raw[12:], str(user_id).encode("ascii"))
    except InvalidTag:  # another installation's key file, or a tampered row
        raise ServiceError("动态口令数据无法读取，请联系单位管理员重置动态口令", field="code") from None
