"""The partial_updates hook draws exactly the screen Textual's stock renderer draws, with no more bytes.

Random frames (ASCII, CJK, full-width forms and emoji, in random styles) are cut into chops as the
compositor cuts them; random spans mark what changed since the previous frame, which the terminal
still shows everywhere else. Both renderings of the update are fed to a terminal emulator (pyte) that
starts from that previous frame; every cell (character and attributes) must agree.
"""

from __future__ import annotations

import pyte
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip

from tui import textual_hooks

WIDTH, HEIGHT = 40, 6
NARROW = "ab Z9-_.|ｱé"
WIDE = "中维修资金号楼小区１Ａ🏠가"  # rich and pyte (wcwidth) agree on each: two cells
STYLES = [None, Style(bold=True), Style(color="red"), Style(bgcolor="blue", underline=True),
          Style(reverse=True), Style(color="#336699", bgcolor="#ffcc00", italic=True), Style(dim=True)]


def stock_render_segments():
    return textual_hooks.REPLACED.get("ChopsUpdate.render_segments", ChopsUpdate.render_segments)


def test_the_hook_is_installed_on_this_release():
    assert textual_hooks.install_partial_updates()
    assert ChopsUpdate.render_segments is textual_hooks.render_segments
    assert stock_render_segments() is not textual_hooks.render_segments


@st.composite
def cells_text(draw, width: int) -> str:
    """Text exactly `width` cells wide; wide characters wherever two cells remain."""
    text, used = [], 0
    while used < width:
        if width - used >= 2 and draw(st.booleans()):
            text.append(draw(st.sampled_from(WIDE)))
            used += 2
        else:
            text.append(draw(st.sampled_from(NARROW)))
            used += 1
    return "".join(text)


@st.composite
def strip_of(draw, width: int) -> Strip:
    """A strip `width` cells wide made of 1-4 styled segments."""
    text = draw(cells_text(width))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=3))) if len(text) > 1 else []
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]) if text[a:b]]
    segments = [Segment(piece, draw(st.sampled_from(STYLES))) for piece in pieces]
    assert sum(cell_len(s.text) for s in segments) == width
    return Strip(segments, width)


@st.composite
def frames(draw):
    """(chops, chop_ends, spans): one frame cut into chops per line, and the changed spans."""
    chops, chop_ends = [], []
    for _y in range(HEIGHT):
        cuts = sorted(draw(st.sets(st.integers(1, WIDTH - 1), max_size=4)))
        starts, ends = [0, *cuts], [*cuts, WIDTH]
        line = {}
        for x, end in zip(starts, ends):
            line[x] = None if draw(st.integers(0, 15)) == 0 else draw(strip_of(end - x))
        chops.append(line)
        chop_ends.append(ends)
    rows = sorted(draw(st.sets(st.integers(0, HEIGHT - 1), min_size=1, max_size=HEIGHT)))
    spans = []
    for y in rows:
        x1 = draw(st.integers(0, WIDTH - 1))
        x2 = draw(st.integers(x1 + 1, WIDTH))
        spans.append((y, x1, x2))
    return chops, chop_ends, spans


def _full_frame(chops, chop_ends, console) -> str:
    return stock_render_segments()(ChopsUpdate(chops, [(y, 0, WIDTH) for y in range(HEIGHT)], chop_ends), console)


def _terminal(previous: str, update: str) -> list[list[pyte.screens.Char]]:
    screen = pyte.Screen(WIDTH, HEIGHT)
    stream = pyte.Stream(screen)
    stream.feed(previous)
    stream.feed(update)
    return [[screen.buffer[y][x] for x in range(WIDTH)] for y in range(HEIGHT)]


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.data())
def test_partial_updates_draw_the_stock_screen_with_no_more_bytes(frame, data):
    chops, chop_ends, spans = frame
    console = Console(color_system="256", force_terminal=True, width=WIDTH, legacy_windows=False)
    # What the terminal showed before: this frame, except inside the spans, which held other text
    # (narrow, so it never spills outside its span; a wide character cut by a span is what matters).
    previous = _full_frame(chops, chop_ends, console) + "".join(
        f"\x1b[{y + 1};{x1 + 1}H\x1b[7m" + data.draw(st.text(NARROW, min_size=x2 - x1, max_size=x2 - x1))
        + "\x1b[0m" for y, x1, x2 in spans) + "\x1b[H"  # from the top, the update's line feeds never scroll
    update = ChopsUpdate(chops, spans, chop_ends)
    stock = stock_render_segments()(update, console)
    patched = textual_hooks.render_segments(update, console)
    assert _terminal(previous, patched) == _terminal(previous, stock)
    assert len(patched.encode()) <= len(stock.encode())


def test_a_change_near_the_right_edge_is_sent_without_the_cells_before_it():
    console = Console(color_system="256", force_terminal=True, width=WIDTH, legacy_windows=False)
    line = Strip([Segment("1号楼", Style(bold=True)), Segment(" " * 10), Segment("中中", Style(reverse=True)),
                  Segment("a" * 21)], WIDTH)
    update = ChopsUpdate([{0: line}], [(0, 36, 37)], [[WIDTH]])
    stock = stock_render_segments()(update, console)
    patched = textual_hooks.render_segments(update, console)
    assert patched == "\x1b[1;20H" + "a" * 18  # from the segment holding column 36 to the span end
    assert len(patched) < len(stock)
