"""The frame_diff hook's display side: App._display writing each update as the difference from what the
terminal shows (tui.frame_diff.Frame), the cursor move after it only when the cursor is elsewhere, and the
mouse pointer's shape only when it changes. Installed by tui.textual_hooks (the hashes of the stock code
it leans on are there)."""

from __future__ import annotations

import contextvars

# A screen switch re-sent all 1,920 cells (15-23 KB), a typed character its field. While the App
# displays an update, `_frame` holds what its terminal shows: updates go out as the difference. Outside
# App._display (a screenshot, a test's console) and after what it cannot follow (suspend, resize),
# Textual's own output until the next whole update. tests/test_frame_diff_pyte.py.
_frame: contextvars.ContextVar = contextvars.ContextVar("wxzj_frame", default=None)


def _layout_render_segments(self, console) -> str:
    from tui.frame_diff import color_system
    from tui.textual_hooks import REPLACED

    frame, stock = _frame.get(), REPLACED["LayoutUpdate.render_segments"]
    if frame is None:
        return stock(self, console)
    if self.region.offset != (0, 0):
        frame.forget()
        return frame.plain() + stock(self, console)
    return frame.whole(self.strips, self.region.width, self.region.height, color_system(console))


def install(cls, CompositorUpdate, LayoutUpdate) -> None:  # noqa: N803 - Textual's private classes, passed in
    """Installs the update renderers, and on `cls` (the App subclass) the display wrapper; called by
    tui.textual_hooks.install_frame_diff, the one module that reaches into Textual's private modules."""
    from textual.app import App

    from tui.textual_hooks import REPLACED, usable

    from tui import frame_diff

    if LayoutUpdate.render_segments is not _layout_render_segments:
        REPLACED["LayoutUpdate.render_segments"] = LayoutUpdate.render_segments
        LayoutUpdate.render_segments = _layout_render_segments
    stock_display = App._display

    def _display(self, screen, renderable) -> None:
        frame = self.__dict__.get("_wxzj_frame")
        if frame is None:
            frame = self.__dict__["_wxzj_frame"] = frame_diff.Frame(erase=frame_diff.terminal_erases())
            self.app_resume_signal.subscribe(self, lambda _app: frame.forget())
        if (renderable is not None and not isinstance(renderable, CompositorUpdate)) or \
                (frame.known and (frame.width, frame.height) != tuple(self.size)):
            frame.forget()
            if self._driver is not None:
                self._driver.write(frame.plain())
        driver = self._driver
        if driver is None or driver.is_inline:
            return stock_display(self, screen, renderable)
        token = _frame.set(frame)
        if isinstance(renderable, CompositorUpdate):
            driver.write = _cursor_aware(self, driver, frame)
        try:
            stock_display(self, screen, renderable)
        finally:
            _frame.reset(token)
            driver.__dict__.pop("write", None)

    cls._display = _display
    if usable("quiet_pointer"):
        cls._set_pointer_shape = _set_pointer_shape


def _cursor_aware(app, driver, frame):
    """The driver's write for one update, which Textual ends with a move of the (hidden) cursor to
    where an input method would show: 6-8 bytes on every update, even one that changed nothing and on
    every idle refresh. The move goes out only when the cursor is elsewhere."""
    stock_write = type(driver).write

    def write(data: str) -> None:
        x, y = app.screen.outer_size.clamp_offset(app.cursor_position)
        move = f"\x1b[{y + 1};{x + 1}H"  # rich's Control.move_to, as App._display appends it
        if data.endswith(move):
            if frame.cursor == (x, y):  # where the update's drawing left it, or the last move
                data = data[:-len(move)]
            frame.cursor = (x, y)
        else:
            frame.cursor = None
        if data:
            stock_write(driver, data)

    return write


def _set_pointer_shape(self, shape: str) -> None:
    # Each screen sets its pointer shape when it mounts: 13 bytes per screen switch for "default" again.
    if self.__dict__.get("_wxzj_pointer") != shape:
        self.__dict__["_wxzj_pointer"] = shape
        from textual.app import App

        App._set_pointer_shape(self, shape)
