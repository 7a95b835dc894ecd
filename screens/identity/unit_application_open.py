"""Opens 物业单位注册申请 once the applicant's application (or the declared unit) has been read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from services.identity import unit_application as service
from tui import calls
from tui.screens_base import LeanScreen
from tui.widgets import LeanFooter, PlainStatic


class UnitApplicationOpener(LeanScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "返回", id="identity.unit_open_back")]

    def compose(self) -> ComposeResult:
        yield Static("物业单位注册申请", classes="title", markup=False)
        yield PlainStatic("正在读取…", id="form-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        calls.run(self, service.open_application, done=self._opened)

    def show_error(self, error) -> None:
        self.query_one("#form-message", PlainStatic).set_text(error.message)

    def _opened(self, view: service.UnitApplicationView) -> None:
        from screens.identity.unit_application import UnitApplicationScreen

        self.app.switch_screen(UnitApplicationScreen(view))
