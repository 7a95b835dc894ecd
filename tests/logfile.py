"""A log file for one test: tui.logs.configure under tmp_path, undone afterwards."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from tui.logs import LOGGER_NAME, configure


@contextmanager
def log_to(path: Path, level: str = "INFO"):
    root = logging.getLogger(LOGGER_NAME)
    saved = (root.level, root.propagate, list(root.handlers))
    handler = configure(path, level)
    try:
        yield handler
    finally:
        if handler is not None:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(saved[0])
        root.propagate = saved[1]
        for old in saved[2]:
            root.addHandler(old)
