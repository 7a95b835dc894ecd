"""The log file: standard logging to a rotating file under the data directory.

One line per refused business action and every unexpected exception with its traceback, the user and
the screen. Nothing secret reaches it: callers log what happened, never what was typed, and every
record passes `redact`, which masks ID-number-like and mobile-like digit runs as a second line of
defence.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import secrets
from pathlib import Path

LOGGER_NAME = "wxzj"
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{4,11}(\d{3}[\dXx]|\d{4})(?![0-9A-Za-z])")
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def redact(text: str) -> str:
    """Mask runs of 11 to 18 digits (mobiles, ID numbers, card numbers): 138****5678."""
    return _LONG_NUMBER.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


def new_reference() -> str:
    """A short reference the clerk reads out and the administrator finds in the log."""
    return "E" + secrets.token_hex(4).upper()


def configure(path: Path, level: str = "INFO") -> logging.Handler | None:
    """Log to `path` (rotating, 5 × 2 MB). A log that cannot be opened never stops the app."""
    root = logging.getLogger(LOGGER_NAME)
    root.setLevel(level.upper())
    root.propagate = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter(_FORMAT))
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    return handler
