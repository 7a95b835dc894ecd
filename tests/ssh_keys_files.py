"""Client keys made with ssh-keygen, and SSH_USER_AUTH files as sshd writes them (for the key tests)."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
from contextlib import contextmanager
from pathlib import Path


def make_key(folder: Path, name: str = "id_ed25519") -> tuple[str, str]:
    """(public key line, SHA256 fingerprint as ssh-keygen prints it)."""
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(path)],
                   check=True)
    shown = subprocess.run(["ssh-keygen", "-lf", str(path) + ".pub"], check=True, capture_output=True,
                           text=True).stdout.split()
    return (path.with_suffix(".pub").read_text().strip(), shown[1])


@contextmanager
def sshd_auth_file(content: str, *, mode: int = 0o600):
    """A file where and as sshd makes it (/tmp/sshauth.<15 random characters>, mode 0600); removed after."""
    name = "/tmp/sshauth." + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(15))
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, content.encode())
        os.close(fd)
        os.chmod(name, mode)
        yield name
    finally:
        os.unlink(name)


def ssh_environ(path: str) -> dict[str, str]:
    return {"SSH_USER_AUTH": path, "SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22"}
