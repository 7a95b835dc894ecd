"""The app's messages (App.notify) on a line of their own, never a toast over the form.

Textual's toasts are drawn over the bottom right of the screen: at 80×24 they covered the last
fields, the table's rows and the footer, and a long message was cut. Here each message goes to the
current screen's MessageLine: a `split: bottom` strip above the footer that takes its own rows from
the layout (the form and the table above it get shorter; nothing is covered), wraps by cell width
(CJK characters count two), and shows the text literally. The latest message follows the clerk to
the next screen until it expires (a dialog that says 已保存 and closes), as a toast did.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.screen import Screen

from tui.text import clean
from tui.widgets import PlainStatic

DEFAULT_SECONDS = 10.0


@dataclass(frozen=True)
class Message:
    text: str
    title: str
    severity: str  # information | warning | error
    expires: float  # time.monotonic()

    @property
    def line(self) -> str:
        return f"{self.title}：{self.text}" if self.title else self.text


class MessageLine(PlainStatic):
    DEFAULT_CSS = """
    MessageLine { split: bottom; height: auto; max-height: 5; width: 1fr; padding: 0 1; display: none;
                  background: $boost; }
    MessageLine.-error { color: $text-error; background: $error-muted; }
    MessageLine.-warning { color: $text-warning; background: $warning-muted; }
    """

    def __init__(self) -> None:
        super().__init__("", id="message-line")
        self._timer = None
        self.message: Message | None = None

    def show(self, message: Message) -> None:
        self.message = message
        self.set_text(message.line)
        self.set_class(message.severity == "error", "-error")
        self.set_class(message.severity == "warning", "-warning")
        self.display = True
        if self._timer is not None:
            self._timer.stop()
        # In the app's context: a timer started here would hold the screen for up to its 10-30 s after the
        # screen closed (WxzjApp.in_own_context).
        self._timer = self.app.in_own_context(self.set_timer, max(0.1, message.expires - time.monotonic()),
                                              self.clear)

    def clear(self) -> None:
        self.message = None
        self.display = False
        self.set_text("")


def line_of(screen: Screen) -> MessageLine:
    """The screen's message line, mounted the first time the screen has something to say."""
    found = screen.query(MessageLine)
    if found:
        return found.first()
    line = MessageLine()
    screen.mount(line)
    return line


def new_message(text: object, title: str, severity: str, timeout: float | None) -> Message:
    seconds = DEFAULT_SECONDS if timeout is None else max(float(timeout), DEFAULT_SECONDS)
    return Message(clean(str(text)), clean(title), severity, time.monotonic() + seconds)
