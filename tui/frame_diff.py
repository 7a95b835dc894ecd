"""What the terminal shows, cell by cell, and the bytes that turn it into the next frame.

Textual writes every changed region whole (a screen switch re-sends all 1,920 cells, a typed character
its whole input line) and ends each styled segment with a reset, so the next segment re-sends its
colours. Over a 64 kbit/s link that is seconds per screen. `Frame` keeps the cells the terminal holds
(the last frame drawn, whatever screen drew it) and writes only the cells that differ, moving the
cursor over the rest and changing only the colour codes that change; a blank needs only its
background, and on a terminal that erases in the background colour a run of them is one erase. tui.textual_hooks feeds it the
compositor's updates; tests/test_frame_diff_pyte.py checks through a terminal emulator that the
screen drawn is the one Textual's own output draws.

A cell is its text (one character, plus any zero-width ones; "" for the right half of a wide
character, which always follows its left half and shares its pen) and its pen (the SGR codes and link
it is drawn with). Writing a cell whose pen and text equal what the terminal shows changes nothing,
and a wide character is always written with both halves, so the terminal never splits one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.color import ColorSystem
from rich.style import Style

from textual.strip import Strip

# A pen: (attribute codes, foreground codes, background codes, link, link id); "" where unset.
Pen = tuple[str, str, str, str, str]
PLAIN: Pen = ("", "", "", "", "")
Row = tuple[list[str], list[Pen]]

_PENS: dict[tuple[Style, ColorSystem], Pen] = {}
_PENS_KEPT = 20_000  # styles are few per app; the bound only guards against a leak


@functools.cache
def terminal_erases() -> bool:
    """Whether this process's terminal ($TERM) erases in the current background colour (terminfo bce)
    and knows ECH: what Frame(erase=True) needs. tmux and screen do not say so; xterm, PuTTY and the
    Linux console do. (curses reads terminfo for the first terminal a process asks about only.)"""
    term = os.environ.get("TERM", "")
    if not term:
        return False
    try:
        import curses

        with open(os.devnull, "wb") as nowhere:  # terminfo only: nothing is written to the terminal
            curses.setupterm(term, nowhere.fileno())
        return curses.tigetflag("bce") > 0 and bool(curses.tigetstr("ech"))
    except (ImportError, OSError, curses.error):
        return False


def color_system(console) -> ColorSystem:
    """The colours the console writes in, as Textual's Strip.render reads them."""
    return console._color_system or ColorSystem.TRUECOLOR


def pen_of(style: Style | None, color_system: ColorSystem) -> Pen:
    if style is None:
        return PLAIN
    key = (style, color_system)
    pen = _PENS.get(key)
    if pen is None:
        if len(_PENS) >= _PENS_KEPT:
            _PENS.clear()
        color, bgcolor = style.color, style.bgcolor
        pen = _PENS[key] = (
            Strip.render_ansi(style.without_color, color_system),
            ";".join(color.downgrade(color_system).get_ansi_codes()) if color is not None else "",
            ";".join(bgcolor.downgrade(color_system).get_ansi_codes(False)) if bgcolor is not None else "",
            style.link or "",
            style.link_id if style.link else "",
        )
    return pen


def cells_of(strips: Iterable[Strip], color_system: ColorSystem) -> Row:
    """The cells a line of strips draws, left to right."""
    texts: list[str] = []
    pens: list[Pen] = []
    for strip in strips:
        for text, style, control in strip:
            if control or not text:
                continue
            pen = pen_of(style, color_system)
            if text.isascii() and text.isprintable():
                texts.extend(text)
                pens.extend([pen] * len(text))
                continue
            for char in text:
                width = get_character_cell_size(char)
                if width == 0:
                    if texts:  # joins the character before it, as the terminal joins it
                        texts[-1] += char
                    continue
                texts.append(char)
                pens.append(pen)
                if width == 2:
                    texts.append("")
                    pens.append(pen)
    return texts, pens


def _pen_change(old: Pen, new: Pen) -> str:
    out = ""
    if old[3] != new[3] or (new[3] and old[4] != new[4]):
        if old[3]:
            out += "\x1b]8;;\x1b\\"
        if new[3]:
            out += f"\x1b]8;id={new[4]};{new[3]}\x1b\\"
    if old[:3] == new[:3]:
        return out
    if new[:3] == PLAIN[:3]:
        return out + "\x1b[0m"
    if old[0] == new[0] or not old[0]:  # attributes only added: change what differs
        codes = [new[0]] if new[0] != old[0] else []
        if old[1] != new[1]:
            codes.append(new[1] or "39")
        if old[2] != new[2]:
            codes.append(new[2] or "49")
        return out + f"\x1b[{';'.join(codes)}m"
    codes = [code for code in new[:3] if code]
    return out + f"\x1b[0;{';'.join(codes)}m"


class Frame:
    """The terminal's cells as the updates written through this frame left them.

    `known` is False until a whole-screen update has been written: partial updates then go out as
    Textual writes them, since the cells around them are unknown."""

    def __init__(self, erase: bool = False) -> None:
        # erase: the terminal erases in the current background colour (terminfo's bce), so a run of
        # blanks goes out as EL / ECH (3-10 bytes) instead of one space per cell.
        self.erase = erase
        self.width = self.height = 0
        self.rows: list[Row] = []
        self.known = False
        # The terminal's pen between writes: nothing else writes SGR codes (leaving the alternate
        # screen restores the shell's), so the next write need not start from a reset.
        self.pen: Pen | None = None
        # Where the terminal's cursor is, (x, y), when known: after this frame's own writes.
        self.cursor: tuple[int, int] | None = None

    def forget(self) -> None:
        """The terminal was cleared or changed behind our back (resumed, resized)."""
        self.known = False
        self.rows = []
        self.pen = None
        self.cursor = None

    def holds(self, spans: Sequence[tuple[int, int, int]]) -> bool:
        """Whether every span lies on the screen this frame knows."""
        return all(y < self.height and x2 <= self.width for y, _x1, x2 in spans)

    def whole(self, lines: Sequence[Iterable[Strip]], width: int, height: int,
              color_system: ColorSystem) -> str:
        """Bytes that make the terminal show `lines`, the whole screen."""
        new_rows = [cells_of(line, color_system) for line in lines[:height]]
        if not self.known or (width, height) != (self.width, self.height):
            self.width, self.height, self.known = width, height, True
            self.rows = [([], []) for _ in range(height)]  # nothing matches: every cell is written
        return self._write({y: row for y, row in enumerate(new_rows)})

    def spans(self, chops: Sequence[dict[int, Strip | None]], spans: Sequence[tuple[int, int, int]],
              chop_ends: Sequence[Sequence[int]], color_system: ColorSystem) -> str:
        """Bytes for a partial update: in each span (y, x1, x2) the cells come from the chops covering it."""
        changed: dict[int, Row] = {}
        for y, x1, x2 in spans:
            old_texts, old_pens = changed.get(y) or self.rows[y]
            texts, pens = list(old_texts), list(old_pens)
            for end, (x, strip) in zip(chop_ends[y], chops[y].items()):
                if strip is None or x >= x2 or end <= x1:
                    continue
                chop_texts, chop_pens = cells_of((strip,), color_system)
                start, stop = max(x, x1) - x, min(end, x2) - x
                if start and start < len(chop_texts) and chop_texts[start] == "":
                    start -= 1  # the span begins on a wide character's right half
                if 0 < stop < len(chop_texts) and chop_texts[stop] == "":
                    stop += 1  # or ends on its left half
                stop = min(stop, len(chop_texts), self.width - x)
                if len(texts) < x + stop:  # a row never written whole (cannot happen once known)
                    texts.extend([" "] * (x + stop - len(texts)))
                    pens.extend([PLAIN] * (x + stop - len(pens)))
                texts[x + start:x + stop] = chop_texts[start:stop]
                pens[x + start:x + stop] = chop_pens[start:stop]
            changed[y] = (texts, pens)
        return self._write(changed)

    def _write(self, new_rows: dict[int, Row]) -> str:
        out: list[str] = []
        pen = self.pen
        if pen is None:
            out.append("\x1b[0m")
            pen = PLAIN
        cursor: tuple[int, int] | None = None
        for y in sorted(new_rows):
            texts, pens = new_rows[y]
            old_texts, old_pens = self.rows[y]
            if texts == old_texts and pens == old_pens:
                continue
            for start, stop in _runs(texts, pens, old_texts, old_pens):
                if cursor is not None and cursor[0] == y and cursor[1] <= start:
                    gap = start - cursor[1]
                    if gap:
                        out.append(f"\x1b[{gap}C" if gap > 1 else "\x1b[C")
                else:
                    out.append(f"\x1b[{y + 1};{start + 1}H" if start else f"\x1b[{y + 1}H")
                x = column = start  # the next cell to draw, and where the cursor is
                while x < stop:
                    if pens[x] != pen and not (texts[x] == " " and _same_blank(pen, pens[x])):
                        out.append(_pen_change(pen, pens[x]))
                        pen = pens[x]
                    blanks = _blanks(texts, pens, x, pen) if self.erase and texts[x] == " " else 0
                    if x + blanks == self.width and blanks > len(_EL):
                        out.append(_EL)  # the rest of the row: every later run on it is drawn too
                        x = self.width
                        break
                    blanks = min(blanks, stop - x)
                    if blanks >= _ECH_MIN:  # an erase leaves the cursor where it is
                        out.append(f"\x1b[{blanks}X")
                        x += blanks
                        if x < stop:
                            out.append(f"\x1b[{blanks}C")
                            column = x
                        continue
                    out.append(texts[x])
                    x = column = x + 1
                if x == self.width and stop < self.width:
                    cursor = None
                    break  # erased to the end of the row
                cursor = (y, column) if column < self.width else None  # at the edge the wrap is pending
            self.rows[y] = (texts, pens)
            self.cursor = (cursor[1], cursor[0]) if cursor is not None else None
        self.pen = pen
        return "".join(out)

    def plain(self) -> str:
        """What to write before output that assumes a plain pen (Textual's own)."""
        reset = "" if self.pen == PLAIN else "\x1b[0m"
        self.pen = PLAIN  # Textual's output ends every styled segment with a reset
        self.cursor = None  # and moves the cursor
        return reset


def _runs(texts: list[str], pens: list[Pen], old_texts: list[str], old_pens: list[Pen]) -> list[tuple[int, int]]:
    """[start, stop) column runs to write: the changed cells, joined across gaps of unchanged cells
    cheaper to re-send than to jump over; never starting or ending inside a wide character."""
    width = len(texts)
    old_width = len(old_texts)
    runs: list[list[int]] = []
    for x in range(width):
        if x < old_width and texts[x] == old_texts[x] and (
                pens[x] == old_pens[x] or (texts[x] == " " and _same_blank(pens[x], old_pens[x]))):
            continue
        start = x - 1 if texts[x] == "" and x else x
        if runs and start <= runs[-1][1] + _BRIDGE and _cheap(texts, pens, runs[-1][1], start):
            runs[-1][1] = max(runs[-1][1], x + 1)
        else:
            runs.append([start, x + 1])
    for run in runs:
        if run[1] < width and texts[run[1]] == "":
            run[1] += 1
    return [(start, stop) for start, stop in runs]


_EL = "\x1b[K"  # erase to the end of the line
_ECH_MIN = 11  # blanks worth an ECH and the jump over them (ESC [ n X ESC [ n C: 8-10 bytes)
# Attributes a blank shows the same after an erase, which keeps only the background: bold, dim, italic
# (underline, reverse, strike and the rest would show on a blank cell).
_ERASABLE_ATTRIBUTES = frozenset({"1", "2", "3"})


def _erasable(pen: Pen) -> bool:
    return not pen[3] and (not pen[0] or _ERASABLE_ATTRIBUTES.issuperset(pen[0].split(";")))


def _same_blank(pen: Pen, other: Pen) -> bool:
    """Whether a blank looks the same in both pens: only its background shows."""
    return pen[2] == other[2] and _erasable(pen) and _erasable(other)


def _blanks(texts: list[str], pens: list[Pen], x: int, pen: Pen) -> int:
    """How many cells from x on are blanks that look the same in `pen` (the terminal's, which an erase
    paints with), 0 when an erase cannot draw them."""
    if not _erasable(pen):
        return 0
    end = x
    while end < len(texts) and texts[end] == " " and _same_blank(pen, pens[end]):
        end += 1
    return end - x


_BRIDGE = 3  # a jump costs 3-4 bytes (ESC [ n C): re-send at most this many unchanged cells instead


def _cheap(texts: list[str], pens: list[Pen], start: int, stop: int) -> bool:
    """Whether re-sending cells [start, stop) costs no more than jumping over them."""
    if stop <= start:
        return True
    pen = pens[start - 1] if start else PLAIN
    return all(pens[x] == pen and len(texts[x]) == 1 and texts[x].isascii() for x in range(start, stop))


def partial_segments(chops, spans, chop_ends, console) -> str:
    """Textual's partial update (ChopsUpdate.render_segments), each line from the segment holding its
    change instead of the widget's left edge: a tick near the right edge of the house grid re-sent
    every cell to its left. Skipping only whole segments never splits a wide character
    (tests/test_partial_updates_pyte.py proves the same screen)."""
    sequences: list[str] = []
    append = sequences.append
    last_y = spans[-1][0]
    for y, x1, x2 in spans:
        for end, (x, strip) in zip(chop_ends[y], chops[y].items()):
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
