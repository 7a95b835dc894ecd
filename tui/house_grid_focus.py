"""Focus changes without repaints, for the house grid and the house card.

Textual repaints a widget whole when it gains or loses focus: 3 KB for the grid each time the
house card opens or closes, and the card twice on opening. Neither draws anything that depends
on focus.
"""

from __future__ import annotations

from textual import events


class NoFocusRepaint:
    """Mix into a Widget subclass, before the widget class. A plain class, not a Widget: a Widget
    base would bring Widget's default CSS (overflow hidden) in ahead of the real widget's."""

    # Widget's own handlers, minus the refresh; prevent_default keeps theirs from running too.
    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self.has_focus = True
        self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        self.parent.post_message(events.DescendantBlur(self))
