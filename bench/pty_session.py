"""A program under a pseudo-terminal, seen from the terminal's side: every byte it writes, and when.

The terminal answers the queries Textual sends the way a terminal without the newer modes does,
because Textual's output depends on the answers (mode 2026 would wrap every frame in
synchronized-update markers) and a clerk's plain xterm gives these.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# DA1 (primary device attributes), CPR (cursor position) and DECRQM for private modes.
_QUERY = re.compile(rb"\x1b\[(?:0?c|6n|\?(\d+)\$p)")
# A query split across two reads is still found in the previous read's tail joined to the next.
_QUERY_TAIL = 16
_ESCAPE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_SEEN_KEPT = 8192  # enough of the latest output to tell in an error message what the screen showed
QUIT = b"\x11"  # ctrl+q


class SessionError(RuntimeError):
    """The program did not reach the state a measurement needs; the message says what it showed."""


@dataclass(frozen=True)
class Burst:
    data: bytes
    last: float | None  # time.monotonic() of the last byte; None when nothing came
    first: float | None = None  # and of the first


def terminal_env() -> dict[str, str]:
    """This environment as a plain xterm over SSH would give it: 256 colours, no COLORTERM, UTF-8,
    no size variables; Textual settings are left to the program under test."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEXTUAL_", "TERM_PROGRAM", "LC_"))
           and k not in ("COLORTERM", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    return env


def visible_text(data: bytes) -> str:
    """What the bytes print, without escape sequences or their order on screen."""
    return _ESCAPE.sub(b"", data).decode("utf-8", "replace")


def _answer(query: re.Match[bytes]) -> bytes:
    if query.group(1) is not None:
        return b"\x1b[?" + query.group(1) + b";0$y"  # "mode not recognised"
    if query.group().endswith(b"6n"):
        return b"\x1b[1;1R"  # no screen is emulated; Textual's full-screen driver ignores the place
    return b"\x1b[?1;2c"  # a VT100 with advanced video


def _take_terminal() -> None:
    # The pty becomes the controlling terminal, as in a login session (runs in the child after setsid).
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtySession:
    """Spawn `argv` on a new pty of cols×rows; use as a context manager so the program always ends."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cols: int = 80, rows: int = 24,
                 cwd: Path | None = None) -> None:
        master, slave = os.openpty()
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            self.started = time.monotonic()
            self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=dict(env),
                                            cwd=cwd, start_new_session=True, preexec_fn=_take_terminal)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._fd = master
        self._tail = b""
        self._seen = b""
        self.ended = False

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, data: bytes) -> None:
        os.write(self._fd, data)

    def _read(self, timeout: float) -> bytes:
        """What arrives within `timeout` s (b"" if nothing), answering queries in it."""
        if self.ended or not select.select([self._fd], [], [], max(timeout, 0.0))[0]:
            return b""
        try:
            data = os.read(self._fd, 65536)
        except OSError:  # EIO: every copy of the pty's other side is closed, i.e. the program ended
            data = b""
        if not data:
            self.ended = True
            return b""
        joined = self._tail + data
        for query in _QUERY.finditer(joined):
            if query.end() > len(self._tail):
                self.send(_answer(query))
        self._tail = joined[-_QUERY_TAIL:]
        self._seen = (self._seen + data)[-_SEEN_KEPT:]
        return data

    def read_for(self, seconds: float) -> bytes:
        """Everything written during the next `seconds`."""
        end = time.monotonic() + seconds
        chunks = []
        while (left := end - time.monotonic()) > 0 and not self.ended:
            chunks.append(self._read(left))
        return b"".join(chunks)

    def read_until_quiet(self, settle: float, timeout: float, showing: Sequence[str] | None = None) -> Burst:
        """Read until nothing came for `settle` s, counted from the last byte or, if none, from now,
        or until the program ended.

        With `showing`, first wait for output that prints each of those strings (an empty list: any output).
        """
        start = time.monotonic()
        deadline = start + timeout
        chunks: list[bytes] = []
        last = first = None
        shown = showing is None
        while True:
            quiet_since = last if last is not None else start
            if shown and (self.ended or time.monotonic() - quiet_since >= settle):
                return Burst(b"".join(chunks), last, first)
            if self.ended:
                raise SessionError(f"the program ended; it showed: {self._last_words()}")
            if time.monotonic() >= deadline:
                wanted = "quiet" if shown else "screen showing " + " and ".join(showing or ["anything"])
                raise SessionError(f"no {wanted} within {timeout:g} s; it showed: {self._last_words()}")
            until = min(deadline, quiet_since + settle) if shown else deadline
            data = self._read(until - time.monotonic())
            if data:
                chunks.append(data)
                last = time.monotonic()
                first = first or last
                if not shown:
                    text = visible_text(b"".join(chunks))
                    shown = all(s in text for s in showing)

    def _last_words(self) -> str:
        text = " ".join(visible_text(self._seen).split())
        return repr(text[-400:]) if text else "nothing"

    def close(self, quit_key: bytes = QUIT, grace: float = 2.0) -> None:
        """Ask the program to quit with `quit_key`; kill its process group after `grace` s."""
        if self.process.poll() is None and not self.ended:
            try:
                self.send(quit_key)
            except OSError:
                pass
        end = time.monotonic() + grace
        while self.process.poll() is None and time.monotonic() < end:
            if self.ended:
                time.sleep(0.05)
            else:
                self._read(0.05)  # keep draining: a program blocked on a full pty never exits
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self._fd)
