"""The screen's keys on the bottom line, drawn by one widget.

Textual's Footer makes a widget per key (FooterKey, ~40 KB each with its task, queue and styles) and
recomposes them on every focus move. The task-order screens open together show ~40 keys: 1.5 MB of one
session's memory, for one line of text. This footer draws the same line, cell for cell (as Footer and
FooterKey style it), redraws it only when the keys it shows change, and takes a click on a key as the
key itself, as FooterKey does.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget

# (key, the key as shown, description, enabled)
Shown = tuple[tuple[str, str, str, bool], ...]


class LeanFooter(Widget, can_focus=False):
    """The active bindings that `show`, then the command palette's key docked right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"lean-footer--key", "lean-footer--description", "lean-footer--bar"}
    # Footer's and FooterKey's own styles (not compact), so the line looks as Textual's footer does. The
    # footer takes its row from the layout as a split (not a dock), so the message line and the print
    # progress split off the rows above it instead of lying over the form.
    DEFAULT_CSS = """
    LeanFooter {
        split: bottom;
        height: 1;
        background: $footer-background;
        text-wrap: nowrap;
    }
    LeanFooter .lean-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    LeanFooter .lean-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    LeanFooter .lean-footer--bar { color: $foreground 20%; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown = ()
        self._palette: tuple[str, str, str, bool] | None = None
        self._spans: list[tuple[int, int, str, bool]] = []  # cells of each key: start, end, key, enabled

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        shown, palette = self._read_bindings()
        if (shown, palette) != (self._shown, self._palette):
            self._shown, self._palette = shown, palette
            self.refresh()

    def _read_bindings(self):
        app = self.app
        active = self.screen.active_bindings
        shown, actions = [], set()
        for _node, binding, enabled, _tooltip in active.values():
            # one key per action, as Footer shows them
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
        return tuple(shown), palette

    def _key_text(self, key_display: str, description: str, enabled: bool, *, compact: bool = False) -> Text:
        """One key as FooterKey draws it: padded ` f2 新建 `, or compact `^p 命令` (the palette's key)."""
        key_style = self.get_component_rich_style("lean-footer--key")
        description_style = self.get_component_rich_style("lean-footer--description")
        if not description:
            text = Text(key_display, key_style)
        elif compact:
            text = Text.assemble((key_display, key_style), (f" {description}", description_style))
        else:
            text = Text.assemble((f" {key_display} ", key_style), (f"{description} ", description_style))
        if not enabled:
            text.stylize("dim")
        return text

    def render_line(self, y: int) -> Strip:
        # Segments as styled here: render() would lay the widget's own colour over the blank cells.
        line = self._line(self.size.width)
        return Strip(line.render(self.app.console), line.cell_len)

    def _line(self, width: int) -> Text:
        # Blank cells carry the footer's background only, as Textual's footer leaves them.
        blank = Style(bgcolor=self.rich_style.bgcolor)
        right = Text()
        if self._palette is not None:
            _key, display, description, enabled = self._palette
            right = Text.assemble(("▏", self.get_component_rich_style("lean-footer--bar")),
                                  self._key_text(display, description, enabled, compact=True), (" ", blank))
            right.truncate(width)
        room = max(width - right.cell_len, 0)
        line = Text()
        self._spans = []
        for key, display, description, enabled in self._shown:
            start = line.cell_len
            if start >= room:
                break
            line.append_text(self._key_text(display, description, enabled))
            self._spans.append((start, min(line.cell_len, room), key, enabled))
        line.truncate(room)
        line.append(" " * (room - line.cell_len), blank)
        if self._palette is not None:
            key, _display, _description, enabled = self._palette
            self._spans.append((room + 1, width, key, enabled))
        line.append_text(right)
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
