"""Every reach into Textual's private API, each installed only on the release and source it was written for.

Textual is required as a range (`>=8.2.8,<9`), so a release may change what a hook replaces. Each hook
names the stock functions it overrides or leans on, with the sha256 of their source; it is installed only
when the running Textual is the release below and every one of those sources still hashes the same.
Otherwise the stock behaviour stays (the screen is only a little chattier on the wire) and one warning
is logged, once. Update a hook by re-reading the new stock source, then its hash (`source_hash`).

The hooks, for slow links except the two for memory:
- partial_updates: a partial-line update starts at the change, not the widget's left edge;
- frame_diff: every update writes only the cells that differ from what the terminal shows (tui.frame_diff),
  and the cursor move after it only when the cursor is elsewhere (tui.display_hook);
- quiet_pointer: the mouse pointer's shape is sent only when it changes;
- lean_screen: a focus move does not repaint the whole screen;
- quiet_focus (NoFocusRepaint): the house grid and card do not repaint on focus and blur;
- app_focus: a terminal focus report does not restyle the whole screen;
- no_hover: the mouse crossing cells does not repaint them;
- styles_lru, strip_caches: caches that cost memory (tui.textual_caches);
- table_rewiden: a data table drops row renderings cached with old column widths;
- narrow_cursor, narrow_highlight: a step in a list or menu re-sends a row's leading cells, not all of it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual import events

from tui import display_hook
from tui.display_hook import _frame, _layout_render_segments  # noqa: F401  (tests use them)
from tui.logs import logger
from tui.textual_release import running_version, source_hash

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
    Hook("quiet_pointer", (
        ("textual.app", "App._set_pointer_shape", "37bd55b475ac1d034167406174b67d715bcd8bac22701137753c24b30e44f641"),
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
    Hook("styles_lru", (  # tui.textual_caches
        ("textual._styles_cache", "StylesCache.get_inner_outer", "d81888c7a5f8b03be05c77a57c51f7664b5746d8b8026dc2a08ccc123939f936"),
    )),
    Hook("strip_caches", (  # tui.textual_caches
        ("textual.strip", "Strip.__init__", "819dc9bc502755ba15c15398484d7365e2577ddef96f9258b4163f5f08471d9f"),
        ("textual.cache", "FIFOCache.get", "a47824794a3751f66f8ac61d52551e19eef391d1a8243feb4240cf5d983b333f"),
        ("textual.cache", "FIFOCache.set", "e2cbe81f42edb275e717dcb28f194bca717d15e2a3adf5d4c02b5bbfb939bd33"),
    )),
    Hook("table_rewiden", (
        ("textual.widgets._data_table", "DataTable._update_dimensions", "c65ff97e16f0d26196575948eb61516bad2a2ae7b02fae573df2a41e81c2f8fd"),
        ("textual.widgets._data_table", "DataTable._clear_caches", "e43f64534ca494338157ea06b431e627b6336d9d7ce05e0cf3217f122564cd01"),
    )),
    Hook("narrow_cursor", (
        ("textual.widgets._data_table", "DataTable._render_line_in_row", "3699fd00e425aa470e9c41c6fed9c3e47cdb2d9c928bc0f395fa14ef2c937d78"),
    )),
    Hook("narrow_highlight", (
        ("textual.widgets._option_list", "OptionList._get_option_render", "b64af295522d3332956832287ee0d05852f0e11170ad7083445193fe6d957a1e"),
        ("textual.widgets._option_list", "OptionList.render_line", "edefcd33d97a337efd7e50169c3573777ca130eec76cbd11a9188ef5503a5d05"),
    )),
)}

_verdicts: dict[str, bool] = {}
REPLACED: dict[str, object] = {}  # "Class.attribute" -> the stock function a hook replaced in place
_version_warned = False


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
# A partial update starts each line at the segment holding the change, not the widget's left edge
# (tui.frame_diff.partial_segments); with frame_diff it is only the fallback.

def render_segments(self, console) -> str:
    from tui.frame_diff import color_system, partial_segments

    frame = _frame.get()
    if frame is not None and frame.known:
        if frame.holds(self.spans):
            return frame.spans(self.chops, self.spans, self.chop_ends, color_system(console))
        frame.forget()  # a resize under way: the next whole update starts afresh
    reset = frame.plain() if frame is not None else ""
    return reset + partial_segments(self.chops, self.spans, self.chop_ends, console)


def install_partial_updates() -> bool:
    if not usable("partial_updates"):
        return False
    from textual._compositor import ChopsUpdate

    if ChopsUpdate.render_segments is not render_segments:
        REPLACED["ChopsUpdate.render_segments"] = ChopsUpdate.render_segments
        ChopsUpdate.render_segments = render_segments
    return True


# -- frame_diff, quiet_pointer: tui.display_hook ---------------------------------------------

def install_frame_diff(cls) -> None:
    if usable("frame_diff") and install_partial_updates():
        from textual._compositor import CompositorUpdate, LayoutUpdate

        display_hook.install(cls, CompositorUpdate, LayoutUpdate)


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


# -- styles_lru: tui.textual_caches ------------------------------------------------------------

def install_styles_lru() -> None:
    if usable("styles_lru"):
        from textual._styles_cache import StylesCache

        from tui.textual_caches import _get_inner_outer

        if StylesCache.get_inner_outer is not _get_inner_outer:
            REPLACED["StylesCache.get_inner_outer"] = StylesCache.__dict__["get_inner_outer"]
            StylesCache.get_inner_outer = _get_inner_outer


def install_strip_caches() -> None:
    if usable("strip_caches"):
        import textual.strip

        from tui.textual_caches import StripCache

        if textual.strip.FIFOCache is not StripCache:
            REPLACED["strip.FIFOCache"] = textual.strip.FIFOCache
            textual.strip.FIFOCache = StripCache


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


# -- narrow_cursor, narrow_highlight ------------------------------------------------------------
# A cursor colouring whole rows makes one step re-send two rows of text (~250 B at 80 columns in
# Chinese). Colouring the leading cells (a table's first columns, a menu entry's label) marks the row
# as well for half of that. Stock renders with and without the cursor, both cached, are spliced.

def narrow_cursor(cls):
    """DataTable subclass decorator: the row cursor colours the first `cursor_columns` (0: all)."""
    if usable("narrow_cursor"):
        from textual.coordinate import Coordinate
        from textual.widgets import DataTable

        stock = DataTable._render_line_in_row
        nowhere = Coordinate(-2, 0)  # no row, not even the header (-1): nothing coloured

        def _render_line_in_row(self, row_key, line_no, base_style, cursor_location, hover_location):
            shown = stock(self, row_key, line_no, base_style, cursor_location, hover_location)
            columns = self.cursor_columns
            if not columns or self.cursor_type != "row" or self._row_locations.get(row_key) != cursor_location.row:
                return shown
            plain = stock(self, row_key, line_no, base_style, nowhere, hover_location)
            return shown[0], shown[1][:columns] + plain[1][columns:]

        cls._render_line_in_row = _render_line_in_row
    return cls


def narrow_highlight(cls):
    """OptionList subclass decorator: the highlight colours an option's first `highlight_cells(option)`
    cells (None: all)."""
    if usable("narrow_highlight"):
        from textual.strip import Strip
        from textual.widgets import OptionList

        stock = OptionList._get_option_render

        def _get_option_render(self, option, style):
            strips = stock(self, option, style)
            cells = self.highlight_cells(option)
            normal = self.get_visual_style("option-list--option")
            if cells is None or style == normal:
                return strips
            plain = stock(self, option, normal)
            return [Strip.join([shown.crop(0, cells), rest.crop(cells, rest.cell_length)])
                    for shown, rest in zip(strips, plain)]

        cls._get_option_render = _get_option_render
    return cls
