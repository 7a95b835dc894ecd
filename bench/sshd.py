"""A throwaway sshd on a loopback port whose ForceCommand is wxzj, as docs/deploy.md sets one up (tests and bench)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


@dataclass
class SshServer:
    port: int
    client_key: Path
    process: subprocess.Popen

    def ssh_argv(self, *extra: str, port: int | None = None, compression: bool = True) -> list[str]:
        """The client's command line; `port` reaches the server another way (e.g. through a slow link)."""
        return ["ssh", "-p", str(port or self.port), "-i", str(self.client_key), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
                "-o", f"Compression={'yes' if compression else 'no'}", *extra,
                f"{os.environ.get('USER') or 'root'}@127.0.0.1"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sshd(folder: Path, force_command: str) -> SshServer:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    (folder / "authorized_keys").chmod(0o600)
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {folder / 'host_key'}
PidFile {folder / 'sshd.pid'}
AuthorizedKeysFile {folder / 'authorized_keys'}
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
PermitUserEnvironment no
ExposeAuthInfo yes
ForceCommand {force_command}
PermitTTY yes
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
Compression yes
ClientAliveInterval 30
""", encoding="utf-8")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # the privilege separation directory sshd insists on
    subprocess.run([SSHD, "-t", "-f", str(config)], check=True)
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=open(folder / "sshd.log", "wb"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)  # polling a port a child process is opening; there is no event to wait on
    if process.poll() is not None:
        raise RuntimeError((folder / "sshd.log").read_text(errors="replace"))
    return SshServer(port, folder / "client_key", process)


def wxzj_command(database_url: str, data_dir: Path) -> str:
    wxzj = Path(sys.executable).with_name("wxzj")
    # sshd passes none of this process's environment on: the audit key the caller's writes were sealed
    # with (tests keep one per run) has to be named again
    key = os.environ.get("WXZJ_AUDIT_KEY_FILE")
    return (f"env WXZJ_DATA_DIR={data_dir} WXZJ_DEMO=1 LANG=C.UTF-8 "
            + (f"WXZJ_AUDIT_KEY_FILE={key} " if key else "")
            + f"{wxzj} --database-url {database_url}")
