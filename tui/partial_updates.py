"""Cheaper partial-line updates.

When part of a line changes (a cursor moving in the house grid, a character typed into an
input), Textual 8.2.8 rewrites the line from the left edge of the widget up to the change: a
tick near the right edge of the grid re-sends every cell to its left. This replacement of
`ChopsUpdate.render_segments` first skips the whole segments that end before the change, then
writes as before. Skipping only whole segments never splits a double-width character.

Installed once by tui.app; Textual is pinned in pyproject.toml because this reaches into it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from textual._compositor import ChopsUpdate


def _render_segments(self: ChopsUpdate, console: Console) -> str:
    sequences: list[str] = []
    append = sequences.append
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items()):
            if strip is None or x > x2 or end <= x1:
                continue
            if x2 > x >= x1 and end <= x2:
                append(f"\x1b[{y + 1};{x + 1}H")
                append(strip.render(console))
                continue
            skipped = 0
            for segment in strip:
                width = cell_len(segment.text)
                if x + skipped + width > x1:
                    break
                skipped += width
            cropped = strip.crop(skipped, min(end, x2) - x)
            append(f"\x1b[{y + 1};{x + skipped + 1}H")
            append(cropped.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> None:
    ChopsUpdate.render_segments = _render_segments


