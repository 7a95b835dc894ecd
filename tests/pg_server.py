"""A throwaway PostgreSQL server for the test run: initdb into a temporary folder, started on a free
loopback port with its unix socket in that folder, stopped and removed at the end.

PostgreSQL refuses to run as root, so under root the server runs as an unprivileged account
(`postgres` when the Debian package created it, else `nobody`). Durability is switched off: the
data lives only as long as the run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "wxzj"


class NoServer(Exception):
    """Why no PostgreSQL server could be started (the tests say it when they skip)."""


def _binaries() -> Path:
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found:
            return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    raise NoServer("未找到 PostgreSQL（initdb/pg_ctl）；Debian 上 apt-get install -y postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise NoServer("以 root 运行但没有可用于运行 PostgreSQL 的非特权用户")


@dataclass
class PgServer:
    folder: Path
    port: int
    bin: Path
    user: str | None

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}"

    def url(self, database: str) -> str:
        return f"{self.base_url}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        if self.user is None:
            return list(args)
        return ["runuser", "-u", self.user, "--", *args]

    def start(self) -> None:
        data = self.folder / "data"
        log = self.folder / "server.log"
        steps = [
            self._cmd(str(self.bin / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                      "--locale=C", "--no-sync"),
            self._cmd(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                      f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                      "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                      "-c shared_buffers=64MB", "start"),
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, cwd=self.folder)
            if done.returncode:
                tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
                raise NoServer(f"PostgreSQL 启动失败：{' '.join(step[:4])}… {done.stderr.strip()[-400:]} {tail}")

    def stop(self) -> None:
        subprocess.run(self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                                 "-w", "stop"), capture_output=True, cwd=self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PgServer:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise NoServer("未安装 psycopg：pip install -e '.[postgresql]'") from None
    binaries = _binaries()
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="wxzj-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    server = PgServer(folder, _free_port(), binaries, user)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
