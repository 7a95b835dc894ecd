"""A one-line choice among a few fixed values, changed with ←/→ or Space: cheaper on the wire
than a drop-down overlay and just as quick from the keyboard."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget


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
