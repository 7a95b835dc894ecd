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


def fit(text: str, width: int) -> str:
    """Pad or cut to exactly `width` terminal cells (a CJK character takes two)."""
    from rich.cells import cell_len, set_cell_size

    text = clean(text)
    return set_cell_size(text, width) if cell_len(text) != width else text
