"""What the clerk's terminal shows, rebuilt from a PtySession's bytes with a terminal emulator (pyte)."""

from __future__ import annotations

import pyte

from bench.pty_session import PtySession


class EmulatedScreen:
    def __init__(self, session: PtySession, cols: int = 80, rows: int = 24) -> None:
        self.session = session
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.received = 0

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def feed(self, data: bytes) -> None:
        self.received += len(data)
        self.stream.feed(data)

    def wait_for(self, *texts: str, timeout: float = 30, settle: float = 0.3) -> str:
        """The screen once it shows every one of `texts` and has been quiet for `settle` s."""
        if not all(t in self.text() for t in texts):
            self.feed(self.session.read_until_quiet(settle, timeout, showing=list(texts)).data)
        shown = self.text()
        missing = [t for t in texts if t not in shown]
        if missing:
            raise AssertionError(f"not shown: {missing}\n{shown}")
        return shown

    def type(self, text: str, settle: float = 0.3) -> None:
        """Type and let the screen settle, as a person does before the next field."""
        self.session.send(text.encode())
        self.feed(self.session.read_until_quiet(settle, 15).data)
