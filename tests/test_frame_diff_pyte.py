"""The frame_diff hook draws exactly the screens Textual means to draw, in fewer bytes than its stock output.

Random sequences of frames (ASCII, CJK, full-width forms and emoji, in random styles and links), each
either drawn whole (a screen switch) or as a partial update of the regions that changed, go to two
terminal emulators (pyte): one fed Textual's stock output, one the difference against the frame the
terminal already shows. After every update, every cell (character and attributes; of a blank, what
shows of it: its background, underline, strike-through) of the diffed screen must equal the frame drawn
fresh, on a terminal that erases as xterm does when the frame erases runs of blanks; so must the stock screen, until a span ends inside a wide
character (stock Textual crops it to a space there, breaking it on the terminal; the diff writes it whole). Then the real app, driven through login and screen switches, must
leave the emulator fed its diffed output showing what its compositor holds.
"""

from __future__ import annotations

import pyte
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from tui import textual_hooks
from tui.frame_diff import Frame, cells_of

WIDTH, HEIGHT = 30, 5
NARROW = "ab Z9-_.|ｱé"
WIDE = "中维修资金号楼１Ａ🏠가"  # rich and pyte (wcwidth) agree on each: two cells
STYLES = [None, Style(bold=True), Style(color="red"), Style(bgcolor="blue", underline=True),
          Style(reverse=True), Style(color="#336699", bgcolor="#ffcc00", italic=True), Style(dim=True),
          Style(color="red", bgcolor="blue"), Style(color="green", bgcolor="blue"), Style(link="https://x.test/a"),
          Style(bold=True, meta={"@click": "x"})]


def _stock(path: str):
    return textual_hooks.REPLACED[path]


def test_the_hook_is_installed_on_this_release():
    import tui.app  # noqa: F401  (lean_app installs it)

    assert LayoutUpdate.render_segments is textual_hooks._layout_render_segments
    assert ChopsUpdate.render_segments is textual_hooks.render_segments
    assert textual_hooks.usable("frame_diff")


@st.composite
def strip_of(draw, width: int) -> Strip:
    text, used = [], 0
    while used < width:
        if draw(st.integers(0, 5)) == 0:  # a run of blanks, which an erase may draw
            blanks = draw(st.integers(1, width - used))
            text.append(" " * blanks)
            used += blanks
        elif width - used >= 2 and draw(st.booleans()):
            text.append(draw(st.sampled_from(WIDE)))
            used += 2
        else:
            text.append(draw(st.sampled_from(NARROW)))
            used += 1
    text = "".join(text)
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=3))) if len(text) > 1 else []
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]) if text[a:b]]
    segments = [Segment(piece, draw(st.sampled_from(STYLES))) for piece in pieces]
    assert sum(cell_len(s.text) for s in segments) == width
    return Strip(segments, width)


@st.composite
def layouts(draw):
    """Cuts per line: where widgets start and end."""
    return [[0, *sorted(draw(st.sets(st.integers(1, WIDTH - 1), max_size=3))), WIDTH] for _ in range(HEIGHT)]


@st.composite
def first_frame(draw, cuts):
    return [{x: draw(strip_of(end - x)) for x, end in zip(line[:-1], line[1:])} for line in cuts]


@st.composite
def changes(draw, cuts, frame):
    """(new frame, spans, whole): some chops redrawn; `whole` draws the screen whole."""
    new = [dict(line) for line in frame]
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        y = draw(st.integers(0, HEIGHT - 1))
        starts = cuts[y][:-1]
        x = draw(st.sampled_from(starts))
        end = cuts[y][cuts[y].index(x) + 1]
        if draw(st.booleans()):  # a new look for the same text, or new text
            new[y][x] = Strip([Segment(s.text, draw(st.sampled_from(STYLES))) for s in new[y][x]], end - x)
        else:
            new[y][x] = draw(strip_of(end - x))
        spans.append((y, x, end))
    for _ in range(draw(st.integers(0, 2))):  # dirty regions over cells that did not change
        y, x1 = draw(st.integers(0, HEIGHT - 1)), draw(st.integers(0, WIDTH - 1))
        spans.append((y, x1, draw(st.integers(x1 + 1, WIDTH))))
    return new, sorted(set(spans)), draw(st.integers(0, 3)) == 0


class BceScreen(pyte.Screen):
    """A terminal that erases as xterm does (bce): an erased cell keeps only the background colour,
    where pyte keeps the whole pen (bold, underline, reverse…)."""

    def _erased(self):
        return self.default_char._replace(bg=self.cursor.attrs.bg)

    def erase_characters(self, count=None) -> None:
        line = self.buffer[self.cursor.y]
        for x in range(self.cursor.x, min(self.cursor.x + (count or 1), self.columns)):
            line[x] = self._erased()

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        assert how == 0, "the frame erases to the end of the line only"
        line = self.buffer[self.cursor.y]
        for x in range(self.cursor.x, self.columns):
            line[x] = self._erased()


def _pyte(screen_class=pyte.Screen) -> tuple[pyte.Screen, pyte.Stream]:
    screen = screen_class(WIDTH, HEIGHT)
    return screen, pyte.Stream(screen)


def _cells(screen: pyte.Screen):
    return [[screen.buffer[y][x] for x in range(WIDTH)] for y in range(HEIGHT)]


def _seen(screen: pyte.Screen, width: int = WIDTH, height: int = HEIGHT):
    """The cells as a person sees them: a blank shows only its background (its foreground when
    reversed), an underline and a strike-through."""
    return [[(" ", c.reverse, c.fg if c.reverse else c.bg, c.underscore, c.strikethrough) if c.data == " " else c
             for c in (screen.buffer[y][x] for x in range(width))] for y in range(height)]


def _layout(frame) -> LayoutUpdate:
    return LayoutUpdate([list(line.values()) for line in frame], Region(0, 0, WIDTH, HEIGHT))


def _chops(frame, spans, cuts) -> ChopsUpdate:
    rendered = {y for y, _, _ in spans}
    chops = [dict(line) if y in rendered else dict.fromkeys(line) for y, line in enumerate(frame)]
    return ChopsUpdate(chops, spans, [line[1:] for line in cuts])


def _cuts_a_wide_character(update) -> bool:
    """Whether a span ends inside a wide character: stock Textual then crops it to a space, which
    breaks the character on the terminal; the diff writes the character whole."""
    if not isinstance(update, ChopsUpdate):
        return False
    for y, x1, x2 in update.spans:
        for (x, strip), end in zip(update.chops[y].items(), update.chop_ends[y]):
            if strip is not None and x < x2 < end and x1 < end:
                texts, _pens = cells_of((strip,), ColorSystem.EIGHT_BIT)
                if texts[x2 - x] == "":
                    return True
    return False


def _diffed(update, frame: Frame, console) -> str:
    token = textual_hooks._frame.set(frame)
    try:
        return update.render_segments(console)
    finally:
        textual_hooks._frame.reset(token)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_diffed_updates_draw_the_stock_screens(data):
    import tui.app  # noqa: F401

    console = Console(color_system="256", force_terminal=True, width=WIDTH, legacy_windows=False)
    cuts = data.draw(layouts())
    frame = data.draw(first_frame(cuts))
    erase = data.draw(st.booleans())
    stock_screen, stock = _pyte()
    diff_screen, diff = _pyte(BceScreen if erase else pyte.Screen)
    remembered = Frame(erase=erase)
    stock_bytes = diff_bytes = 0
    stock_exact = True
    for step in range(data.draw(st.integers(1, 6))):
        if step:
            frame, spans, whole = data.draw(changes(cuts, frame))
            if data.draw(st.integers(0, 5)) == 0:  # another screen: other widgets, other cuts
                cuts = data.draw(layouts())
                frame, whole = data.draw(first_frame(cuts)), True
        else:
            spans, whole = [], True
        if data.draw(st.integers(0, 7)) == 0:
            remembered.forget()  # a suspend: Textual's own output until the next whole frame
        update = _layout(frame) if whole else _chops(frame, spans, cuts)
        if not remembered.known and _cuts_a_wide_character(update):
            update = _layout(frame)  # Textual's own output would break that character (see above)
            whole = True
        stock_out = _stock("LayoutUpdate.render_segments" if whole else "ChopsUpdate.render_segments")(update, console)
        diff_out = _diffed(update, remembered, console)
        stock.feed(stock_out + "\x1b[H")
        diff.feed(diff_out + "\x1b[H")
        stock_bytes += len(stock_out.encode())
        diff_bytes += len(diff_out.encode())
        fresh_screen, fresh = _pyte()
        fresh.feed(_stock("LayoutUpdate.render_segments")(_layout(frame), console))
        # A blank is drawn in whatever pen gives it its background (or erased): only that shows.
        assert _seen(diff_screen) == _seen(fresh_screen)
        if stock_exact:
            stock_exact = _cells(stock_screen) == _cells(fresh_screen)
            assert stock_exact or _cuts_a_wide_character(update), "stock went wrong otherwise"
    assert diff_bytes <= stock_bytes


def test_an_unchanged_screen_costs_nothing_and_one_changed_cell_little():
    import tui.app  # noqa: F401

    console = Console(color_system="256", force_terminal=True, width=WIDTH, legacy_windows=False)
    line = {0: Strip([Segment("维修资金 ", Style(bold=True)), Segment("a" * 21, Style(color="red"))], WIDTH)}
    frame = [line] * HEIGHT
    remembered = Frame()
    _diffed(_layout(frame), remembered, console)
    assert _diffed(_layout(frame), remembered, console) == ""
    changed = [line] * (HEIGHT - 1) + [{0: Strip([*line[0].crop(0, 28), Segment("b", Style(color="red")),
                                                 Segment("a", Style(color="red"))], WIDTH)}]
    assert _diffed(_layout(changed), remembered, console) == f"\x1b[{HEIGHT};29Hb"  # the pen is still red


def test_blanks_are_erased_where_the_terminal_erases_alike():
    import tui.app  # noqa: F401

    console = Console(color_system="256", force_terminal=True, width=WIDTH, legacy_windows=False)
    grey, underlined = Style(color="white", bgcolor="grey23"), Style(bgcolor="grey23", underline=True)

    def rows(*lines):
        return [{0: Strip([Segment(text, style) for text, style in line], WIDTH)} for line in lines]

    old = rows(*[[("A" * WIDTH, grey)]] * HEIGHT)
    new = rows([("B" + " " * 14 + "AAAA" + "C" + "A" * 10, grey)],  # blanks amid the row, then a jump
               [("维修" + " " * 26, grey)],  # blanks to the end of the row
               [(" " * WIDTH, underlined)],  # an underline would not survive an erase
               [("A" * 10, grey), (" " * 20, Style(bgcolor="grey23", bold=True))],
               [("A" * WIDTH, grey)])
    sizes = []
    for erase in (False, True):
        screen, stream = _pyte(BceScreen)
        remembered = Frame(erase=erase)
        stream.feed(_diffed(_layout(old), remembered, console))
        written = _diffed(_layout(new), remembered, console)
        stream.feed(written)
        fresh_screen, fresh = _pyte()
        fresh.feed(_stock("LayoutUpdate.render_segments")(_layout(new), console))
        assert _seen(screen) == _seen(fresh_screen)
        assert ("\x1b[14X" in written and written.count("\x1b[K") == 2) is erase
        sizes.append(len(written))
    assert sizes[1] < sizes[0] - 40


# -- the real app ------------------------------------------------------------------------------

async def _shown_is_composed(pilot, terminal: pyte.Screen, stream: pyte.Stream, written: list[str]) -> None:
    """Once the screen is drawn, the emulator fed everything written shows what the compositor holds."""
    from textual._context import visible_screen_stack

    from tests.pilot import settle

    app = pilot.app
    await settle(pilot)
    for _ in range(50):  # until the last frame is out: nothing dirty, nothing more written
        count = len(written)
        await pilot.pause(0.02)
        screen = app.screen
        if count == len(written) and not screen._compositor._dirty_regions and not screen._dirty_widgets:
            break
    stream.feed("".join(written))
    written.clear()
    visible_screen_stack.set(app._background_screens)
    strips = app.screen._compositor.render_strips()
    fresh = pyte.Screen(*app.size)
    pyte.Stream(fresh).feed(_stock("LayoutUpdate.render_segments")(
        LayoutUpdate([[strip] for strip in strips], app.size.region), app.console))
    assert _seen(terminal, *app.size) == _seen(fresh, *app.size), "\n".join(fresh.display)
    # The cursor (hidden; where an input method shows) is where Textual puts it, moved only when elsewhere.
    assert (terminal.cursor.x, terminal.cursor.y) == tuple(app.screen.outer_size.clamp_offset(app.cursor_position))


@pytest.mark.parametrize("erase", [False, True], ids=["spaces", "erase"])
async def test_the_app_shows_what_it_composes_through_login_and_screen_switches(make_demo_app, monkeypatch, erase):
    from textual.drivers.headless_driver import HeadlessDriver

    from tui import frame_diff

    from services.demo.accounts import DEMO_PASSWORD
    from tests.pilot import login

    written: list[str] = []
    # The test driver writes nowhere and the App then skips writing: make it a terminal that records.
    monkeypatch.setattr(HeadlessDriver, "is_headless", property(lambda self: False))
    everything: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: (written.append(data), everything.append(data)))
    monkeypatch.setattr(frame_diff, "terminal_erases", lambda: erase)
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = pyte.Screen(80, 24)
        stream = pyte.Stream(terminal)
        await _shown_is_composed(pilot, terminal, stream, written)
        before = len(everything)
        pilot.app.screen.refresh()  # an update that changes nothing writes nothing, not even a cursor move
        await _shown_is_composed(pilot, terminal, stream, written)
        assert "".join(everything[before:]) == ""
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await _shown_is_composed(pilot, terminal, stream, written)
        assert "商品房维修支取申请" in "\n".join(terminal.display)
        for keys in (["down"], ["up"], ["enter"], ["escape"], ["down", "enter"], ["tab"], ["escape"],
                     ["f1"], ["escape"], ["down", "down", "enter"], ["tab"], ["escape"]):
            await pilot.press(*keys)
            await _shown_is_composed(pilot, terminal, stream, written)
        assert "".join(everything).count("\x1b]22;") == 1  # the pointer's shape, never changed
        for width, height in ((100, 30), (60, 20), (80, 24)):  # the terminal keeps what it can of its cells
            terminal.resize(height, width)
            await pilot.resize_terminal(width, height)
            await _shown_is_composed(pilot, terminal, stream, written)
            await pilot.press("down")
            await _shown_is_composed(pilot, terminal, stream, written)
