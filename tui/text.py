"""User text for the screen: shown literally, never as markup, and never as terminal control codes."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from datetime import datetime

_KEEP = {"\n", "\t"}
REPLACEMENT = "\ufffd"


def _is_surrogate(c: str) -> bool:
    # A lone surrogate (from a broken paste or input method) cannot be encoded for the terminal.
    return "\ud800" <= c <= "\udfff"


def clean(text: str) -> str:
    """Drop control characters (an ESC in a name must not reach the clerk's terminal); a lone
    surrogate becomes the replacement character."""
    return "".join(REPLACEMENT if _is_surrogate(c) else c
                   for c in text if c in _KEEP or unicodedata.category(c) != "Cc")


def _picture(c: str) -> str:
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ␛ …: the control picture of that code
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 controls have no picture


def visible(text: str) -> str:
    """Every control character shown as a visible sign (␛ for ESC, ␀ for NUL, ␊ for a line break)
    so a table row stays one line and shows what was stored; a lone surrogate becomes �."""
    out = []
    for c in text:
        if _is_surrogate(c):
            out.append(REPLACEMENT)
        elif unicodedata.category(c) == "Cc":
            out.append(_picture(c))
        else:
            out.append(c)
    return "".join(out)


def safe(text: str) -> Text:
    return Text(clean(text))


def literal(text: str) -> Text:
    """A table cell: literal and on one line, control characters visible."""
    return Text(visible(text))


def fit(text: str, width: int) -> str:
    """Pad or cut to exactly `width` terminal cells (a CJK character takes two)."""
    from rich.cells import cell_len, set_cell_size

    text = clean(text)
    return set_cell_size(text, width) if cell_len(text) != width else text


def ellipsize(text: str, width: int) -> str:
    """Cut to at most `width` terminal cells, ending in "…" when cut (a CJK character takes two)."""
    from rich.cells import cell_len, set_cell_size

    text = clean(text)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…" if width > 0 else ""


def required_label(label: str, required: bool) -> Text:
    """A field label; the required mark `*` in red, as the manuals print it."""
    return Text.assemble(("*", "bold red") if required else " ", label)


def short_time(stamp: str, now: "datetime | None" = None) -> str:
    """A shown time `2026-12-01 10:20[:30]` for a list at 80 columns: `12-01 10:20` in the current
    year (Asia/Shanghai), the date alone (`2025-12-01`) in another; anything else as given."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if len(stamp) < 16 or stamp[4] != "-" or stamp[10] != " ":
        return stamp
    year = (now or datetime.now(ZoneInfo("Asia/Shanghai"))).year
    return stamp[5:16] if stamp[:4] == str(year) else stamp[:10]


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, ending in … when cut (no blank where a CJK character split)."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += cell_len(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"
