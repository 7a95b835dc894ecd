"""The host's print worker: one long-lived process per data directory that has loaded fpdf2 and the fonts once,
and forks a child for each print; the sessions of the host share it over a Unix socket.

A print child started from scratch (services.printing.render_child) spends most of its CPU before it draws
anything: starting Python, importing fpdf2 and fontTools, reading the fonts. With many clerks on one server
that was most of the machine. A child forked from this worker starts with all of that done, renders, answers
and exits; what it allocated goes with it, so neither the worker nor the clerks' sessions grow with each
print (the reason the print runs in a child at all). The worker itself holds fpdf2 and the fonts, about
100 MB, once per host, not once per session.

The first session that prints starts the worker (detached, in a session of its own) and prints that
document with a child of its own; later prints go to the worker. The worker leaves when no print came for
IDLE_S seconds, or when its socket file is removed or replaced. Its socket's name carries a digest of what
it renders with (the interpreter, the code's files, the font settings), so after an upgrade the sessions
start a new worker and the old one idles out. Only the account that started it can connect (mode 0600 in a
0700 folder, and a session checks the peer's account before it sends anything). It is opt-in:
WXZJ_PRINT_SERVER=on; without it every print runs in a child of its own (see enabled()).

    python -m services.printing.print_server SOCKET

Frames both ways are a kind byte, a 4-byte length and a payload: the request is one "Q" frame (the print
child's JSON request); the answer is "P" frames of progress ("done total"), then one "D" (the PDF), "E"
(UnprintableCharacter as JSON [char, field]) or "F" (a failure, its text).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ENV = "WXZJ_PRINT_SERVER"
IDLE_S = 600
MAX_CHILDREN = max(2, 2 * (os.cpu_count() or 1))  # more prints wait in the socket's backlog
POLL_S = 2.0
PRELOADED = ("cmap", "hmtx", "CFF ", "glyf", "loca", "head", "hhea", "maxp", "OS/2", "post", "name")
_HEAD = struct.Struct("!cI")
ROOT = Path(__file__).resolve().parent.parent.parent


class Unavailable(Exception):
    """No worker answers on the socket (none started yet, or it just left)."""


class Foreign(Exception):
    """The socket answers for another account: it would read this clerk's documents, so it is not used."""


def _ours(sock: socket.socket) -> bool:
    """Whether the process at the other end runs as this account (a shared data directory lets another
    account's process bind the socket's name first)."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def enabled(env=os.environ) -> bool:
    # Opt-in: the worker is once per account, and an SSH server where every clerk has an account of their
    # own would keep one of about 100 MB per clerk who printed in the last IDLE_S; it pays where many
    # sessions share one account (the browser mode's tabs, a shared service account).
    return env.get(ENV, "").strip().lower() in ("on", "1", "yes", "true")


def socket_path(env=os.environ) -> Path:
    """<data dir>/run/print-<digest>.sock, the digest over what the worker renders with."""
    from services.printing.render_child import data_dir

    stamp = [sys.executable, str(ROOT), env.get("WXZJ_PDF_FONT", ""), env.get("WXZJ_PDF_FALLBACK_FONTS", "")]
    for folder in (ROOT / "reports", ROOT / "services" / "printing"):
        stamp += [f"{p.name}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob("*.py"))]
    digest = hashlib.sha256("\n".join(stamp).encode("utf-8")).hexdigest()[:16]
    return data_dir(env) / "run" / f"print-{digest}.sock"


# -- frames ----------------------------------------------------------------------------------------
def _send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_HEAD.pack(kind, len(payload)) + payload)


def _exact(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the print worker closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(sock: socket.socket) -> tuple[bytes, bytes]:
    kind, size = _HEAD.unpack(_exact(sock, _HEAD.size))
    return kind, _exact(sock, size)


# -- the sessions' side ----------------------------------------------------------------------------
def render(path: Path, request: bytes, progress: Callable[[int, int], None] | None) -> bytes:
    """The PDF rendered by the worker at `path`; raises Unavailable when none answers there (nothing was
    sent), UnprintableCharacter and RuntimeError (a failed render) as the print child does."""
    from reports.fonts import UnprintableCharacter

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            sock.connect(str(path))
        except OSError as exc:  # no file, nobody listening, a path too long for a socket
            raise Unavailable(str(exc)) from None
        if not _ours(sock):
            raise Foreign(f"the print socket {path} is served by another account")
        try:
            _send(sock, b"Q", request)
            while True:
                kind, payload = _receive(sock)
                if kind == b"P":
                    if progress is not None:
                        done, total = payload.split()
                        progress(int(done), int(total))
                elif kind == b"D":
                    return payload
                elif kind == b"E":
                    raise UnprintableCharacter(*json.loads(payload))
                else:
                    raise RuntimeError(payload.decode("utf-8", "replace"))
        except (OSError, EOFError, struct.error) as exc:
            raise RuntimeError(f"the print worker stopped answering: {exc}") from None
    finally:
        sock.close()


def usable(path: Path) -> bool:
    return len(os.fsencode(path)) < 100  # a Unix socket's path has room for 107 bytes at most


def start(path: Path) -> None:
    """Start a worker for `path` in the background, unless one is already starting or running (it holds
    the lock file from its start to its end)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = path.parent.stat()
        if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
            return  # another account's (or an open) folder: the prints stay in children of their own
        with open(path.with_suffix(".lock"), "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return
            fcntl.flock(lock, fcntl.LOCK_UN)
    except OSError:
        return  # a folder this account may not write: no worker, and this print is not the worse for it
    subprocess.Popen([sys.executable, "-P", "-m", "services.printing.print_server", str(path)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)


def stop(path: Path, timeout: float = 10.0) -> bool:
    """Ask the worker at `path` to leave (SIGTERM to the pid it wrote); True when it has gone."""
    pid_file = path.with_suffix(".pid")
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return True
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return False


# -- the worker ------------------------------------------------------------------------------------
def _serve_one(conn: socket.socket) -> None:
    """In the forked child: read the request, render, answer."""
    from reports import font_cache, render as render_document
    from reports.data import Stamp
    from reports.fonts import UnprintableCharacter
    from services.printing.render_child import _codec

    kind, payload = _receive(conn)
    request = json.loads(payload.decode("utf-8"))
    if request.get("font_cache"):
        font_cache.directory = Path(request["font_cache"])

    def progress(done: int, total: int) -> None:
        _send(conn, b"P", f"{done} {total}".encode())

    try:
        data = _codec(request["doc_type"])[1](request["data"])
        pdf = render_document(request["doc_type"], data, Stamp(**request["stamp"]), progress)
    except UnprintableCharacter as exc:
        _send(conn, b"E", json.dumps([exc.char, exc.field]).encode("utf-8"))
        return
    except Exception as exc:  # noqa: BLE001 — the session hears of it as a failed render
        _send(conn, b"F", f"{type(exc).__name__}: {exc}".encode("utf-8", "replace"))
        return
    _send(conn, b"D", pdf)


def _warm_up() -> None:
    """What every print needs, done once here so that each forked child starts with it: the modules, the
    fonts' coverage, and one page written with the primary font (fpdf2's and the subsetter's own set-up)."""
    from fontTools import ttLib

    from reports import arrears, font_cache, sign_sheet, task_order, unit_application  # noqa: F401
    from reports.data import Stamp
    from reports.fonts import font_chain
    from reports.frame import FormPDF, font_path

    chain = font_chain(font_path())
    pdf = FormPDF("预热", "WX0", Stamp("DY0", "2000-01-01 00:00:00"))
    pdf.add_page()
    pdf.output()
    primary = chain[0][1]
    # From memory, not from an open file: every forked child would share that one open file and its
    # offset, and two children reading tables at once would read each other's bytes.
    font = ttLib.TTFont(io.BytesIO(Path(primary).read_bytes()), recalcTimestamp=False, fontNumber=0, lazy=True)
    for tag in PRELOADED:  # the tables the subsetter reads whole, whatever the document uses
        if tag in font and hasattr(font[tag], "ensureDecompiled"):
            font[tag].ensureDecompiled()
    font_cache.opened[Path(primary)] = font


def _same_file(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def serve(path: Path) -> int:
    if not path.parent.is_dir():  # start() makes it: gone already, the data directory with it
        return 0
    lock = open(path.with_suffix(".lock"), "a")  # held for the worker's life: one worker per socket
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        lock.close()
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return 0
        raise
    from reports import font_cache
    from services.printing.render_child import font_cache_dir

    font_cache.directory = font_cache_dir()
    try:
        _warm_up()
    except Exception:  # noqa: BLE001 — a warm-up that fails leaves the work to the children
        pass
    if not path.parent.is_dir():  # removed while warming up
        return 0
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_mask)
    listener.listen(128)
    inode = path.stat().st_ino
    pid_file = path.with_suffix(".pid")
    pid_file.write_text(str(os.getpid()))
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    children: set[int] = set()
    last = time.monotonic()
    try:
        while not stopping and _same_file(path, inode) and (children or time.monotonic() - last < IDLE_S):
            while children:
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    children.clear()
                    break
                if not pid:
                    break
                children.discard(pid)
            if len(children) >= MAX_CHILDREN:
                time.sleep(0.02)
                continue
            try:
                ready, _, _ = select.select([listener], [], [], 0.05 if children else POLL_S)
            except InterruptedError:
                continue
            if not ready:
                continue
            conn, _ = listener.accept()
            last = time.monotonic()
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    listener.close()
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    _serve_one(conn)
                except BaseException:  # noqa: BLE001 — the session sees the connection close
                    status = 1
                finally:
                    os._exit(status)
            conn.close()
            children.add(pid)
    finally:
        listener.close()
        if _same_file(path, inode):
            path.unlink(missing_ok=True)
        pid_file.unlink(missing_ok=True)
    return 0


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie has finished: only its parent's wait is missing
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


if __name__ == "__main__":
    if os.fork():  # the starter's child ends at once; the worker goes on as a child of init, no one's zombie
        os._exit(0)
    code = serve(Path(sys.argv[1]))
    os._exit(code)  # no interpreter teardown of the fonts' 100 MB of objects: the process just ends
