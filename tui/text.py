"""User text for the screen: shown literally, never as markup, and never as terminal control codes."""

from __future__ import annotations

import unicodedata

from rich.text import Text

_KEEP = {"\n", "\t"}


def clean(text: str) -> str:
    """Drop control characters (an ESC in a name must not reach the clerk's terminal)."""
    return "".join(c for c in text if c in _KEEP or unicodedata.category(c) != "Cc")


def safe(text: str) -> Text:
    return Text(clean(text))
