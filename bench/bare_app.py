"""The yardstick for startup_bare_s: the least a Textual app can be that still has a login-like field.

Run as a script (`python bench/bare_app.py`) so it imports nothing of the project; ctrl+q quits, as
Textual binds it by default.
"""

from textual.app import App, ComposeResult
from textual.widgets import Input


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Input()


if __name__ == "__main__":
    BareApp().run()
