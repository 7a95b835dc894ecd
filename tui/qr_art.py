"""A QR code drawn with half-block characters: two modules per character cell, so a 37-module code
with its quiet zone takes 41 columns and 21 lines. Always dark on light, whatever the terminal's
theme: many phone scanners cannot read an inverted code."""

from __future__ import annotations

from rich.text import Text

BORDER = 2
_CELLS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_lines(data: str, border: int = BORDER) -> list[str]:
    import segno

    rows = [list(row) for row in segno.make(data, error="l", micro=False, boost_error=False).matrix_iter(border=border)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    return ["".join(_CELLS[bool(top), bool(bottom)] for top, bottom in zip(upper, lower))
            for upper, lower in zip(rows[::2], rows[1::2])]


def qr_text(data: str) -> Text:
    return Text("\n".join(qr_lines(data)), style="#000000 on #ffffff", no_wrap=True)
