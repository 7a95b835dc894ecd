"""Widgets shared by the screens, shaped for slow links: one-line borderless inputs with a steady
cursor, and plain-text labels that never interpret user text as markup."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from rich.text import Text

from tui.binding_chain import own_bindings
from tui.footer import LeanFooter  # noqa: F401  (the screens' footer, imported from here)
from tui.text import required_label, safe


class CompactInput(Input):
    """One line, no border, no blinking: a typed character repaints only this line."""

    DEFAULT_CSS = """
    CompactInput {
        border: none;
        height: 1;
        padding: 0 1;
        width: 32;
        background: $surface-lighten-1;
    }
    CompactInput:focus {
        border: none;
        background: $primary-muted;
    }
    CompactInput.-invalid, CompactInput.-invalid:focus {
        border: none;
    }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        # Its bound keys (Backspace, ←, Home…) run here, in order with the typed characters. Left to
        # Textual, a bound key is run only once it has bubbled up to the app: typed ahead, "x⌫90000"
        # became x9000 (the ⌫ ran after the digits), and after an Enter that moved the focus on it ran
        # in the next field (tui.typeahead). Enter (submit) still bubbles first: screens act on it.
        for binding in own_bindings(self, event.key, Input):
            if binding.action == "submit":
                break
            if await self.app.run_action(binding.action, self):  # False: not for now (check_action): bubble on
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)


class PlainStatic(Static):
    """A Static whose text is always shown literally: `[bold]` stays `[bold]`, escapes are dropped."""

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(safe(text), markup=False, **kwargs)

    def set_text(self, text: str) -> None:
        self.update(safe(text))


class FieldRow(Horizontal):
    """Label, input and the message for this field; a long message wraps onto the lines below
    instead of being cut at the screen's edge (验证码错误，请重新输… at 80 columns)."""

    DEFAULT_CSS = """
    FieldRow { height: auto; width: 1fr; }
    FieldRow > .field-label { width: 12; height: 1; text-align: right; padding-right: 1; }
    FieldRow > .field-error { width: 1fr; height: auto; padding-left: 1; color: $error; }
    """

    def __init__(self, label: str, field: str, *, password: bool = False, max_length: int = 0,
                 placeholder: str = "", required: bool = False) -> None:
        super().__init__(id=f"row-{field}")
        self._label = required_label(label, True) if required else Text(label)
        self._input = CompactInput(id=field, password=password, max_length=max_length, placeholder=placeholder)

    def compose(self) -> ComposeResult:
        yield Static(self._label, classes="field-label", markup=False)
        yield self._input
        yield PlainStatic("", classes="field-error", id=f"{self._input.id}-error")
