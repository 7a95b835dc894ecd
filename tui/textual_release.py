"""Which Textual is running: its release, and the sha256 of a function's source, by which tui.textual_hooks
tells whether Textual's code is the one a hook was written for."""

from __future__ import annotations

import hashlib
import os


def running_version() -> str:
    """The installed Textual release, read from its dist-info folder name (importlib.metadata costs
    ~25 ms at start-up, a tenth of the budget)."""
    import textual as package

    site = os.path.dirname(os.path.dirname(package.__file__))
    for entry in os.listdir(site):
        if entry.startswith("textual-") and entry.endswith(".dist-info"):
            return entry[len("textual-"):-len(".dist-info")]
    from importlib.metadata import version

    return version("textual")


def _file_lines(filename: str) -> list[bytes]:
    # Not cached: kept, the Textual sources read for the hooks' checks held 1.3 MB for the whole session.
    with open(filename, "rb") as handle:
        return handle.read().split(b"\n")


def source_hash(function) -> str:
    """sha256 of a function's source lines (from its first line to the last line of its code).

    Read straight from the file: inspect.getsource tokenizes and costs ten times as much. A decorated
    function's source starts at its first decorator, so a changed cache size changes the hash too."""
    function = getattr(function, "__func__", function)
    code = getattr(function, "__wrapped__", function).__code__  # an lru_cache'd method: its own source
    last = max(line for _start, _end, line in code.co_lines() if line)
    source = b"\n".join(_file_lines(code.co_filename)[code.co_firstlineno - 1:last])
    return hashlib.sha256(source).hexdigest()
