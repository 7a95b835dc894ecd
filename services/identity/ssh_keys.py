"""SSH public keys: their fingerprints, and the key sshd says a session logged in with (SSH_USER_AUTH).

With `ExposeAuthInfo yes`, sshd writes the methods and public keys that authenticated the session to a
file it creates itself, `/tmp/sshauth.` and 15 random characters, mode 0600, as the logged-in user
(OpenSSH session.c, prepare_auth_info_file), names it in SSH_USER_AUTH and deletes it when the session
ends. sshd sets that variable after the ones a client may send (AcceptEnv) or a key's options may set
(PermitUserEnvironment), so under `ExposeAuthInfo yes` the variable is always sshd's own.

A key read from anywhere else proves nothing: a fingerprint is public, so a file or a variable that
anyone but sshd could have written would let them pick whose key they "used". The file is therefore
trusted only when it is exactly what sshd makes — that path template, a regular file (no symlink, one
link), owned by this process's user (or root, when root logged in) and closed to everyone else — and
when the process runs in an SSH session at all (SSH_CONNECTION). What no check here can rule out is a
person with a shell on the server running wxzj with a made-up environment; the deployment gives clerk
accounts none (ForceCommand, nologin), which docs/deploy.md requires, and such a person could read the
database's files anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
import stat
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from services.core.errors import ValidationError

log = logging.getLogger("wxzj.identity")

SSHD_FILE = re.compile(r"/tmp/sshauth\.[A-Za-z0-9]{15}")  # sshd's mkstemp template, fixed in its source
MAX_FILE_BYTES = 65536
_FINGERPRINT = re.compile(r"SHA256:([A-Za-z0-9+/]{43})=?")
_KEY_TYPE = re.compile(r"(?:ssh|ecdsa|sk)-[A-Za-z0-9@.+-]+")


@dataclass(frozen=True)
class PublicKey:
    fingerprint: str  # "SHA256:…" without padding, as `ssh-keygen -l` prints it
    key_type: str | None  # None when only a fingerprint was given


def fingerprint(blob: bytes) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


def _blob_type(encoded: str) -> tuple[bytes, str] | None:
    """The key blob and the type name it starts with, or None when `encoded` is no key blob."""
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(blob) < 4:
        return None
    (length,) = struct.unpack(">I", blob[:4])
    if not 0 < length <= 64 or len(blob) < 4 + length + 4:
        return None
    try:
        return blob, blob[4:4 + length].decode("ascii")
    except UnicodeDecodeError:
        return None


def key_from_line(tokens: list[str]) -> PublicKey | None:
    """The key in an OpenSSH public-key line (`type base64 [comment]`, options before it allowed)."""
    for i, token in enumerate(tokens[:-1]):
        if _KEY_TYPE.fullmatch(token):
            found = _blob_type(tokens[i + 1])
            if found is not None and found[1] == token:
                return PublicKey(fingerprint(found[0]), token)
    return None


def parse_key_text(text: str, field: str = "key") -> PublicKey:
    """What an administrator pastes: a public key (the line of id_ed25519.pub) or its SHA256 fingerprint
    (as `ssh-keygen -lf` prints it)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("请粘贴SSH公钥或输入其SHA256指纹", field=field)
    if len(text) > 16384:
        raise ValidationError("SSH公钥过长", field=field)
    tokens = text.split()
    key = key_from_line(tokens)
    if key is not None:
        return key
    for token in tokens:
        match = _FINGERPRINT.fullmatch(token)
        if match:
            return PublicKey("SHA256:" + match.group(1), None)
    if any(token.startswith("MD5:") or re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", token) for token in tokens):
        raise ValidationError("请使用SHA256指纹（ssh-keygen -lf 密钥文件.pub 显示的 SHA256:…）", field=field)
    raise ValidationError("无法识别的SSH公钥或指纹：请粘贴 .pub 文件的一行，或 SHA256:… 指纹", field=field)


def session_key(environ: Mapping[str, str] | None = None) -> PublicKey | None:
    """The public key sshd authenticated this session with, or None (not over SSH, ExposeAuthInfo off,
    several keys, or a file sshd did not write: each logged)."""
    environ = os.environ if environ is None else environ
    path = environ.get("SSH_USER_AUTH")
    if not path:
        return None
    why = _untrusted(path, environ)
    if why:
        log.warning("SSH_USER_AUTH ignored: %s", why)
        return None
    try:
        text = _read_own_file(path)
    except (OSError, _Refused) as exc:
        log.warning("SSH_USER_AUTH ignored: %s", exc)
        return None
    keys = [line.split()[1:] for line in text.splitlines() if line.split()[:1] == ["publickey"]]
    if len(keys) != 1:
        # none: another method (password…); several (AuthenticationMethods publickey,publickey): which
        # one would name the clerk is not ours to guess
        if keys:
            log.warning("SSH_USER_AUTH ignored: %d public keys", len(keys))
        return None
    return key_from_line(keys[0])


class _Refused(Exception):
    pass


def _untrusted(path: str, environ: Mapping[str, str]) -> str | None:
    if not environ.get("SSH_CONNECTION"):
        return "not an SSH session"
    if not SSHD_FILE.fullmatch(path):
        return "not a file sshd names"
    return None


def _read_own_file(path: str) -> str:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise _Refused("not a plain file")
        if info.st_uid not in (os.geteuid(), 0):
            raise _Refused("owned by another user")
        if info.st_mode & 0o077:
            raise _Refused("open to other users")
        if info.st_size > MAX_FILE_BYTES:
            raise _Refused("too large")
        data = os.read(fd, MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    return data.decode("ascii", "replace")
