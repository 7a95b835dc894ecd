"""Renders one document in a process of its own, so the app's process never loads the print fonts.

Parsing the Chinese font costs the process that does it about 50 MB that it keeps, and each print added
more (the interpreter's heap stayed flat: freed memory the allocator does not give back). A clerk's
session prints a few documents a day and lives for hours, many to a server; a short-lived child gives it
all back when it exits. The cost is the child's start, a fraction of a second beside the render.

    python -m services.printing.render_child OUTPUT < request.json

The request is {"doc_type", "data" (reports.data.to_json), "stamp", "font_cache"}; progress goes to stdout as
"done total" lines; a character no font has ends it with exit status 3 and the message on stdout.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from reports.data import OrderData, Stamp, from_json, to_json

UNPRINTABLE = 3
MESSAGE = "E "


def data_dir(env=os.environ) -> Path:
    """The data directory, found as tui.config finds it."""
    data = env.get("WXZJ_DATA_DIR") or Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "wxzj"
    return Path(data).expanduser()


def font_cache_dir(env=os.environ) -> Path | None:
    """Where the print children keep what they derive from the fonts (reports.font_cache)."""
    return data_dir(env) / "cache" / "fonts"


class RenderFailed(RuntimeError):
    """The child died or said something unexpected; the message holds the end of its error output."""


def _codec(doc_type: str):
    """(to_json, from_json) of the document's data: the order's, or the unit application's."""
    from reports import UNIT_APPLICATION

    if doc_type == UNIT_APPLICATION:
        from reports import unit_application

        return unit_application.to_json, unit_application.from_json
    return to_json, from_json


def render_elsewhere(doc_type: str, data: OrderData, stamp: Stamp,
                     progress: Callable[[int, int], None] | None = None) -> bytes:
    """reports.render, run in a child process, forked from the host's print worker when one answers
    (services.printing.print_server); the same result, the same UnprintableCharacter."""
    cache = font_cache_dir()
    request = json.dumps({"doc_type": doc_type, "data": _codec(doc_type)[0](data), "stamp": asdict(stamp),
                          "font_cache": str(cache) if cache else None},
                         ensure_ascii=False).encode("utf-8")
    from services.printing import print_server

    if print_server.enabled():
        path = print_server.socket_path()
        if print_server.usable(path):
            try:
                return print_server.render(path, request, progress)
            except print_server.Unavailable:
                print_server.start(path)  # for the next print; this one in a child of its own, below
            except print_server.Foreign as exc:
                logging.getLogger("wxzj.printing").warning("print worker not used: %s", exc)
            except RuntimeError as exc:
                raise RenderFailed(str(exc)) from None
    return _in_child(request, progress)


def _in_child(request: bytes, progress: Callable[[int, int], None] | None) -> bytes:
    from reports.fonts import UnprintableCharacter

    fd, output = tempfile.mkstemp(prefix="wxzj-print-", suffix=".pdf")
    os.close(fd)
    try:
        # -P: the modules come from the installation, never from whatever folder the session runs in
        # stderr to a file: a child that writes many warnings must not block on a full pipe nobody reads yet
        with tempfile.TemporaryFile() as stderr:
            child = subprocess.Popen([sys.executable, "-P", "-m", "services.printing.render_child", output],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
            try:
                child.stdin.write(request)
                child.stdin.close()
            except BrokenPipeError:
                pass  # the child died before reading its request; its exit status says so below
            unprintable = None
            for line in child.stdout:
                text = line.decode("utf-8", "replace").rstrip("\n")
                if text.startswith(MESSAGE):
                    unprintable = json.loads(text[len(MESSAGE):])
                elif progress is not None and text:
                    done, total = text.split()
                    progress(int(done), int(total))
            child.stdout.close()
            status = child.wait()
            stderr.seek(0)
            errors = stderr.read().decode("utf-8", "replace")
        if status == UNPRINTABLE and unprintable:
            raise UnprintableCharacter(*unprintable)
        if status != 0:
            raise RenderFailed(f"the print process ended with status {status}: {errors.strip()[-500:]}")
        return Path(output).read_bytes()
    finally:
        os.unlink(output)


def main(argv: list[str]) -> int:
    from reports import font_cache, render
    from reports.fonts import UnprintableCharacter

    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    if request.get("font_cache"):
        font_cache.directory = Path(request["font_cache"])

    def progress(done: int, total: int) -> None:
        sys.stdout.write(f"{done} {total}\n")
        sys.stdout.flush()

    try:
        data = _codec(request["doc_type"])[1](request["data"])
        pdf = render(request["doc_type"], data, Stamp(**request["stamp"]), progress)
    except UnprintableCharacter as exc:
        sys.stdout.write(MESSAGE + json.dumps([exc.char, exc.field]) + "\n")
        return UNPRINTABLE
    Path(argv[0]).write_bytes(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
