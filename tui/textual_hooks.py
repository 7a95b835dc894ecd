"""Every reach into Textual's private API, each installed only on the release and source it was written for.

Textual is required as a range (`>=8.2.8,<9`), so a release may change what a hook replaces. Each hook
names the stock functions it overrides or leans on, with the sha256 of their source; it is installed only
when the running Textual is the release below and every one of those sources still hashes the same.
Otherwise the stock behaviour stays (the screen is only a little chattier on the wire) and one warning
is logged, once. Update a hook by re-reading the new stock source, then its hash (`source_hash`).

The hooks, all for slow links:
- partial_updates: a partial-line update starts at the change, not the widget's left edge;
- frame_diff: every update writes only the cells that differ from what the terminal shows (tui.frame_diff);
- lean_screen: a focus move does not repaint the whole screen;
- quiet_focus (NoFocusRepaint): the house grid and card do not repaint on focus and blur;
- app_focus: a terminal focus report does not restyle the whole screen;
- no_hover: the mouse crossing cells does not repaint them;
- lean_footer: the footer redraws only when its keys change;
- table_rewiden: a data table drops row renderings cached with old column widths.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import importlib
import os
from dataclasses import dataclass

from textual import events

from tui.logs import logger

WRITTEN_FOR = "8.2.8"

_log = logger("textual_hooks")


@dataclass(frozen=True)
class Hook:
    name: str
    stock: tuple[tuple[str, str, str], ...]  # (module, "Class.attribute", sha256 of its source)


HOOKS: dict[str, Hook] = {hook.name: hook for hook in (
    Hook("partial_updates", (
        ("textual._compositor", "ChopsUpdate.render_segments", "0a5880dcb3d31c0baf51c37887a1299b8414998c03625cb4b173ffc5096c3c9c"),
    )),
    Hook("frame_diff", (
        ("textual._compositor", "LayoutUpdate.render_segments", "ce67abb5fdf3d41e460cf087eb1f85385ff6c33a0f38d02bb771398f62daaf14"),
        ("textual._compositor", "ChopsUpdate.render_segments", "0a5880dcb3d31c0baf51c37887a1299b8414998c03625cb4b173ffc5096c3c9c"),
        ("textual.app", "App._display", "1c2c359d5eca88a10ed2cbb1e7723295809fa6400145a89dc253ea92e80965e7"),
        ("textual.strip", "Strip.render_style", "3f37c28f392cec6dca96bde59a0f61e1ed3d3757bf375f5e6f9d719d9b277bbe"),
    )),
    Hook("lean_screen", (
        ("textual.screen", "Screen.set_focus", "5391857d4be47caa1683e9bf45cac8e49b54d03085e4113a634bf5c241533979"),
        ("textual.screen", "Screen._watch_focused", "8e2c216056f945dcf6b92c431972eefb7f0d211dec5b179867e56008ea175bef"),
    )),
    Hook("quiet_focus", (
        ("textual.widget", "Widget._on_focus", "43d144f39454a44220415e823b07aafe07c5b19d7e8eca1c96aed84321a0582b"),
        ("textual.widget", "Widget._on_blur", "cf348ba5dc87ffdd5fcb337d2d45cdeff91ba8af16739198386c4ad8e45b62de"),
    )),
    Hook("app_focus", (
        ("textual.app", "App._on_app_focus", "8f254c7638ee1c28a5927fd15d5aadffda608dc6e283032e96da90f92bb42575"),
        ("textual.app", "App._on_app_blur", "eee07389a9969d9a438fd8a14ff41697ad070ec94d532f5dadb35706caee8579"),
    )),
    Hook("no_hover", (
        ("textual.app", "App._set_mouse_over", "17f80cadebd2106a90d8d821b0c39491430ca068ac3055048eac16f6875fe6b3"),
    )),
    Hook("lean_footer", (
        ("textual.widgets._footer", "Footer.compose", "6071a8cad4e8fbc7cff20cec8fe44aa0af038b62f4ed974aaba5364d18954587"),
        ("textual.widgets._footer", "Footer.bindings_changed", "5490da8615a6d450ce0e4a23f69d1530134dc6f25476f2b934f5464584b9b64b"),
    )),
    Hook("table_rewiden", (
        ("textual.widgets._data_table", "DataTable._update_dimensions", "c65ff97e16f0d26196575948eb61516bad2a2ae7b02fae573df2a41e81c2f8fd"),
        ("textual.widgets._data_table", "DataTable._clear_caches", "e43f64534ca494338157ea06b431e627b6336d9d7ce05e0cf3217f122564cd01"),
    )),
)}

_verdicts: dict[str, bool] = {}
REPLACED: dict[str, object] = {}  # "Class.attribute" -> the stock function a hook replaced in place
_version_warned = False


def running_version() -> str:
    """The installed Textual release, read from its dist-info folder name (importlib.metadata costs
    ~25 ms at start-up, a tenth of the budget)."""
    import textual

    site = os.path.dirname(os.path.dirname(textual.__file__))
    for entry in os.listdir(site):
        if entry.startswith("textual-") and entry.endswith(".dist-info"):
            return entry[len("textual-"):-len(".dist-info")]
    from importlib.metadata import version

    return version("textual")


@functools.cache
def _file_lines(filename: str) -> list[bytes]:
    with open(filename, "rb") as handle:
        return handle.read().split(b"\n")


def source_hash(function) -> str:
    """sha256 of a function's source lines (from its first line to the last line of its code).

    Read straight from the file: inspect.getsource tokenizes and costs ten times as much."""
    code = getattr(function, "__func__", function).__code__
    last = max(line for _start, _end, line in code.co_lines() if line)
    source = b"\n".join(_file_lines(code.co_filename)[code.co_firstlineno - 1:last])
    return hashlib.sha256(source).hexdigest()


def _stock(module: str, path: str):
    if path in REPLACED:  # already hooked in place: check the stock function it replaced
        return REPLACED[path]
    owner_name, attribute = path.split(".")
    owner = getattr(importlib.import_module(module), owner_name)
    return owner.__dict__[attribute]


def usable(name: str) -> bool:
    """Whether hook `name` may be installed here; logs one warning the first time it may not."""
    global _version_warned
    if name in _verdicts:
        return _verdicts[name]
    hook = HOOKS[name]
    version = running_version()
    if version != WRITTEN_FOR:
        _verdicts[name] = False
        if not _version_warned:
            _version_warned = True
            _log.warning("Textual %s is not %s, which the screen hooks were written for: "
                         "Textual's stock behaviour is kept (more bytes on slow links)", version, WRITTEN_FOR)
        return False
    changed = []
    for module, path, expected in hook.stock:
        try:
            actual = source_hash(_stock(module, path))
        except (ImportError, AttributeError, KeyError, OSError, TypeError, ValueError):
            actual = "missing"
        if actual != expected:
            changed.append(f"{module}.{path}")
    _verdicts[name] = not changed
    if changed:
        _log.warning("Textual hook %s not installed: %s changed since it was written; "
                     "Textual's stock behaviour is kept", name, ", ".join(changed))
    return not changed


# -- partial_updates --------------------------------------------------------------------------
# When part of a line changes (a cursor moving in the house grid, a character typed into an input),
# Textual rewrites the line from the left edge of the widget up to the change: a tick near the
# right edge of the grid re-sends every cell to its left. This replacement first skips the whole
# segments that end before the change, then writes as before. Skipping only whole segments never
# splits a double-width character (tests/test_partial_updates_pyte.py proves the same screen).

def render_segments(self, console) -> str:
    from rich.cells import cell_len

    frame = _frame.get()
    if frame is not None and frame.known:
        return frame.spans(self.chops, self.spans, self.chop_ends, _color_system(console))
    reset = frame.plain() if frame is not None else ""

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
    return reset + "".join(sequences)


def install_partial_updates() -> bool:
    if not usable("partial_updates"):
        return False
    from textual._compositor import ChopsUpdate

    if ChopsUpdate.render_segments is not render_segments:
        REPLACED["ChopsUpdate.render_segments"] = ChopsUpdate.render_segments
        ChopsUpdate.render_segments = render_segments
    return True


# -- frame_diff -------------------------------------------------------------------------------
# A screen switch re-sends all 1,920 cells (15-23 KB with a reset after every styled segment) although
# most of them look as before; a typed character re-sends its field. While the App displays an update,
# `_frame` holds what its terminal shows (tui.frame_diff.Frame), and both kinds of update are written
# as the difference against it. Outside App._display (a screenshot, a test's own console) and after
# anything the frame cannot follow (a suspend, a non-compositor write), Textual's own output is kept
# until the next whole-screen update. tests/test_frame_diff_pyte.py proves the same screen.

_frame: contextvars.ContextVar = contextvars.ContextVar("wxzj_frame", default=None)


def _color_system(console):
    from rich.color import ColorSystem

    return console._color_system or ColorSystem.TRUECOLOR


def _layout_render_segments(self, console) -> str:
    frame = _frame.get()
    if frame is None or self.region.offset != (0, 0):
        if frame is not None:
            frame.forget()
            return frame.plain() + REPLACED["LayoutUpdate.render_segments"](self, console)
        return REPLACED["LayoutUpdate.render_segments"](self, console)
    return frame.whole(self.strips, self.region.width, self.region.height, _color_system(console))


def install_frame_diff(cls) -> None:
    """Installs the update renderers, and on `cls` (the App subclass) the display wrapper."""
    if not usable("frame_diff") or not install_partial_updates():
        return
    from textual._compositor import CompositorUpdate, LayoutUpdate
    from textual.app import App

    from tui.frame_diff import Frame

    if LayoutUpdate.render_segments is not _layout_render_segments:
        REPLACED["LayoutUpdate.render_segments"] = LayoutUpdate.render_segments
        LayoutUpdate.render_segments = _layout_render_segments
    stock_display = App._display

    def _display(self, screen, renderable) -> None:
        frame = self.__dict__.get("_wxzj_frame")
        if frame is None:
            frame = self.__dict__["_wxzj_frame"] = Frame()
            self.app_resume_signal.subscribe(self, lambda _app: frame.forget())
        if renderable is not None and not isinstance(renderable, CompositorUpdate):
            frame.forget()
            if self._driver is not None:
                self._driver.write(frame.plain())
        if self._driver is None or self._driver.is_inline:
            return stock_display(self, screen, renderable)
        token = _frame.set(frame)
        try:
            stock_display(self, screen, renderable)
        finally:
            _frame.reset(token)

    cls._display = _display


# -- lean_screen ------------------------------------------------------------------------------
# Textual declares `Screen.focused` as a repainting reactive, so every focus move (Tab, Enter to the
# next field) repaints the whole screen: ~3-5 KB at 80×24 for a change of two lines. The widgets
# that gain and lose focus repaint themselves anyway.

def lean_screen(cls):
    """Class decorator for a Screen subclass, applied before any subclass of it is defined."""
    if usable("lean_screen"):
        from textual.reactive import Reactive

        focused = Reactive(None, repaint=False)
        setattr(cls, "focused", focused)
        focused.__set_name__(cls, "focused")
        cls._reactives = {**cls._reactives, "focused": focused}
    return cls


# -- quiet_focus ------------------------------------------------------------------------------
# Textual repaints a widget whole when it gains or loses focus: 3 KB for the house grid each time
# the house card opens or closes, and the card twice on opening. Neither draws anything that
# depends on focus.

class NoFocusRepaint:
    """Mix into a Widget subclass, before the widget class. A plain class, not a Widget: a Widget base
    would bring Widget's default CSS (overflow hidden) in ahead of the real widget's. Its handlers are
    installed by the first `quiet_focus` call."""


def _on_focus(self, event: events.Focus) -> None:
    # Widget's own handler minus the refresh; prevent_default keeps Widget's from running too.
    event.prevent_default()
    self.has_focus = True
    self.parent.post_message(events.DescendantFocus(self))


def _on_blur(self, event: events.Blur) -> None:
    event.prevent_default()
    self.has_focus = False
    self.parent.post_message(events.DescendantBlur(self))


def quiet_focus(cls):
    """Class decorator for a widget class that mixes in NoFocusRepaint."""
    if usable("quiet_focus") and "_on_focus" not in NoFocusRepaint.__dict__:
        NoFocusRepaint._on_focus = _on_focus
        NoFocusRepaint._on_blur = _on_blur
    return cls


# -- app_focus, no_hover ----------------------------------------------------------------------
# A terminal focus change would restyle and repaint the whole screen (~18 KB) for nothing the clerk
# can use, so the app simply stays "focused". Hover highlights cost kilobytes per cell crossed:
# keep enter/leave but never :hover.

async def _on_app_focus(self, event: events.AppFocus) -> None:
    event.prevent_default()


async def _on_app_blur(self, event: events.AppBlur) -> None:
    event.prevent_default()


def lean_app(cls):
    """Class decorator for the App subclass; also installs partial_updates and frame_diff."""
    install_partial_updates()
    install_frame_diff(cls)
    if usable("app_focus"):
        cls._on_app_focus = _on_app_focus
        cls._on_app_blur = _on_app_blur
    if usable("no_hover"):
        from textual.app import App

        stock = App._set_mouse_over

        def _set_mouse_over(self, widget, hover_widget) -> None:
            stock(self, widget, None)

        cls._set_mouse_over = _set_mouse_over
    return cls


# -- lean_footer ------------------------------------------------------------------------------
# Textual's Footer recomposes on every focus move, ~500 bytes each time, even when the same keys
# are shown before and after; and it composes empty first, then again a frame later with the keys.

def lean_footer(cls):
    """Class decorator for a Footer subclass."""
    if not usable("lean_footer"):
        return cls
    from textual.widgets import Footer

    stock_init, stock_compose = cls.__init__, Footer.compose

    def __init__(self, *args, **kwargs) -> None:
        stock_init(self, *args, **kwargs)
        self._shown = None
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self):
        self._shown = _shown_bindings(self)
        yield from stock_compose(self)

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not self.is_attached or screen is not self.screen:
            return
        shown = _shown_bindings(self)
        if shown != self._shown:
            self._shown = shown
            self.call_after_refresh(self.recompose)

    cls.__init__, cls.compose, cls.bindings_changed = __init__, compose, bindings_changed
    return cls


def _shown_bindings(footer) -> tuple:
    return tuple(
        (binding.key, binding.description, enabled)
        for _node, binding, enabled, _tooltip in footer.screen.active_bindings.values()
        if binding.show or binding.action in ("command_palette", "app.command_palette")
    )


# -- table_rewiden ----------------------------------------------------------------------------
# Textual widens auto-width columns on idle after rows are added, but keeps the row renderings it
# may have cached in between; a row drawn before that moment then stays cut to the old widths (seen
# with the review queue on a real terminal). Widening drops those caches.

def table_rewiden(cls):
    """Class decorator for a DataTable subclass."""
    if usable("table_rewiden"):
        from textual.widgets import DataTable

        stock = DataTable._update_dimensions

        def _update_dimensions(self, new_rows) -> None:
            stock(self, new_rows)
            self._clear_caches()
            self.refresh()

        cls._update_dimensions = _update_dimensions
    return cls
