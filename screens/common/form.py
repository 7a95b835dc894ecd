"""A form screen from a list of fields: sections, one row per field (input or ←→ choice), the message of a
refusal at its field, Enter to the next field and on the last one the screen's submit action.

The registration and login-confirmation steps are such forms; each subclass names its fields, its keys and
what submit does (a service call through `tui.calls.run`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from services.core.errors import ServiceError
from tui.choice import ChoiceField
from tui.typeahead import after_keys
from tui.screens_base import LeanScreen
from tui.widgets import FieldRow, LeanFooter, PlainStatic


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool = False
    password: bool = False
    max_length: int = 0
    choices: tuple[str, ...] = ()
    section: str | None = None  # a heading shown above this field
    placeholder: str = ""
    value: str = ""


class ChoiceRow(Horizontal):
    DEFAULT_CSS = """
    ChoiceRow { height: 1; width: 1fr; }
    ChoiceRow > .field-label { width: 12; text-align: right; padding-right: 1; }
    ChoiceRow > ChoiceField { width: 32; }
    ChoiceRow > .field-error { width: 1fr; padding-left: 1; color: $error; }
    """

    def __init__(self, spec: Field) -> None:
        super().__init__(id=f"row-{spec.key}")
        self.spec = spec

    def compose(self) -> ComposeResult:
        yield Static(("*" if self.spec.required else "") + self.spec.label, classes="field-label", markup=False)
        field = ChoiceField(self.spec.choices, self.spec.value, id=self.spec.key)
        # As wide as the longest choice (东城区住房和城乡建设委员会维修资金管理部 is 38 cells), within 80 columns.
        longest = max((cell_len(choice) for choice in self.spec.choices), default=0)
        field.styles.width = min(max(32, longest + 6), 48)
        yield field
        yield PlainStatic("", classes="field-error", id=f"{self.spec.key}-error")


class FormScreen(LeanScreen):
    DEFAULT_CSS = """
    FormScreen #form { height: 1fr; padding: 0 0 0 2; }
    FormScreen .section { height: 1; color: $accent; text-style: bold; padding-left: 1; }
    FormScreen .hint { height: auto; }
    FormScreen #form-message { height: auto; min-height: 1; }
    """
    # Subclasses' BINDINGS add to this one. Enter is a priority binding: it runs as the key arrives, so what
    # is typed after it (one read over a slow link) lands in the next field, not in this one.
    BINDINGS = [Binding("enter", "form_enter", "下一项", show=False, priority=True, id="form.enter")]
    HEADING = ""
    HINT = ""

    def fields(self) -> tuple[Field, ...]:
        raise NotImplementedError

    def submit(self) -> None:
        """Enter on the last field, or the screen's submit key."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static(self.HEADING or self.app.profile.title, classes="title", markup=False)
        with VerticalScroll(id="form", can_focus=False):
            yield from self.compose_top()
            for spec in self.fields():
                if spec.section:
                    yield Static(spec.section, classes="section", markup=False)
                if spec.choices:
                    yield ChoiceRow(spec)
                else:
                    yield FieldRow(spec.label, spec.key, password=spec.password, max_length=spec.max_length,
                                   placeholder=spec.placeholder, required=spec.required)
        if self.HINT:
            yield Static(self.HINT, classes="hint", markup=False)
        yield PlainStatic("", id="form-message", classes="message")
        yield LeanFooter()

    def compose_top(self) -> ComposeResult:
        """Anything shown above the fields (a question, the address a code went to)."""
        yield from ()

    def on_mount(self) -> None:
        # One label column as wide as the longest label (*社会诚信代码, *法定代表人手机号), never cut.
        width = max([12] + [cell_len(("*" if spec.required else "") + spec.label) + 1 for spec in self.fields()])
        for label in self.query("#form .field-label"):
            label.styles.width = width
        for spec in self.fields():
            if spec.value and not spec.choices:
                self.query_one(f"#{spec.key}", Input).value = spec.value
        self.focus_field(self.keys()[0])

    # -- values and messages ----------------------------------------------------------------
    def keys(self) -> list[str]:
        """The fields on the form now: a row hidden with `display = False` (a block that does not apply) is
        neither visited by Enter nor sent."""
        return [spec.key for spec in self.fields()
                if self.query(f"#{spec.key}") and self.query_one(f"#row-{spec.key}").display]

    def values(self) -> dict[str, str]:
        out = {}
        for key in self.keys():
            widget = self.query_one(f"#{key}")
            out[key] = widget.value if isinstance(widget, (Input, ChoiceField)) else ""
        return out

    def focus_field(self, key: str) -> None:
        widget = self.query_one(f"#{key}")
        self.set_focus(widget, scroll_visible=False)  # at once (Widget.focus is deferred): see form_enter
        widget.scroll_visible(animate=False)

    def clear_errors(self) -> None:
        for key in self.keys():
            self.query_one(f"#{key}-error", PlainStatic).set_text("")
        self.say("")

    def say(self, text: str) -> None:
        self.query_one("#form-message", PlainStatic).set_text(text)

    def show_error(self, error: ServiceError) -> None:
        if error.field in self.keys():
            self.query_one(f"#{error.field}-error", PlainStatic).set_text(error.message)
            self.focus_field(error.field)
            self.say("")
        else:
            self.say(error.message)

    # -- keys -------------------------------------------------------------------------------
    def _next(self, key: str) -> None:
        keys = self.keys()
        index = keys.index(key)
        if index + 1 < len(keys):
            self.focus_field(keys[index + 1])
        else:
            after_keys([self.query_one(f"#{k}") for k in keys], self.submit)

    def action_form_enter(self) -> None:
        """Enter as a priority binding (see the class's BINDINGS): the next field takes focus as the key
        arrives, so keys typed after it are not lost into this one."""
        focused = self.focused
        if not isinstance(focused, (Input, ChoiceField)) or focused.id not in self.keys():
            raise SkipAction()
        self._next(focused.id)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in self.keys():
            self._next(event.input.id)

    def on_key(self, event: events.Key) -> None:
        focused = self.focused
        if event.key == "enter" and isinstance(focused, ChoiceField) and focused.id in self.keys():
            event.stop()
            self._next(focused.id)
