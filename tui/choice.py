"""A one-line choice among a few fixed values, changed with ←/→ or Space: cheaper on the wire
than a drop-down overlay and just as quick from the keyboard."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from tui.binding_chain import own_bindings


class ChoiceField(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceField { height: 1; width: 22; padding: 0 1; background: $surface-lighten-1; }
    ChoiceField:focus { background: $primary-muted; }
    """
    BINDINGS = [
        Binding("right,space", "step(1)", "下一项", show=False, id="choice.next"),
        Binding("left", "step(-1)", "上一项", show=False, id="choice.previous"),
        # Enter moves on as in every input (README); before, it did nothing and the next text was lost.
        Binding("enter", "next_field", "下一项", show=False, id="choice.next_field"),
    ]

    class Changed(Message):
        def __init__(self, field: "ChoiceField", value: str) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> "ChoiceField":
            return self.field

    def __init__(self, choices: tuple[str, ...], value: str = "", *, id: str | None = None,
                 placeholder: str = "←→ 选择") -> None:
        super().__init__(id=id)
        self.choices = choices
        self.value = value
        self.placeholder = placeholder

    async def _on_key(self, event: events.Key) -> None:
        # Its own keys are run here, in its own queue. Textual matches a key against the bindings of
        # the field focused when the key reaches the app's handler: typed ahead with an Enter that has
        # moved the focus on (tui.typeahead), → would have moved the next field's cursor instead.
        # Enter still bubbles first: a screen may act on it (业务流水查询 searches).
        for binding in own_bindings(self, event.key, ChoiceField):
            if binding.action == "next_field":
                break
            if await self.app.run_action(binding.action, self):  # False: not for now (check_action): bubble on
                event.stop()
                event.prevent_default()
                return

    def render(self) -> Text:
        if not self.value:
            return Text(self.placeholder, style="dim")
        # One line, never wrapped: a wrapped value showed only its first line ("‹") in the row's one cell.
        return Text(f"‹ {self.value} ›", no_wrap=True, overflow="ellipsis")

    def set_value(self, value: str) -> None:
        self.value = value
        self.refresh()

    def action_next_field(self) -> None:
        self.screen.focus_next()

    def action_step(self, step: int) -> None:
        if not self.choices:  # filled later, from the database
            return
        if self.value in self.choices:
            index = (self.choices.index(self.value) + step) % len(self.choices)
        else:
            index = 0 if step > 0 else len(self.choices) - 1
        self.set_value(self.choices[index])
        self.post_message(self.Changed(self, self.value))
