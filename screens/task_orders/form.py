"""新建任务单-选择自然幢 (BJ-10, BJ-11, BJ-15): the order form above, the building cards below.

Each field is saved when the clerk leaves it, so the draft survives a dropped connection (BY-04).
"""

from __future__ import annotations

import threading
from collections import deque

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.strip import Strip
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from screens.common.dialogs import ConfirmDialog
from screens.task_orders import steps
from services.core.errors import ServiceError, StaleRecord
from services.task_orders import drafts
from services.task_orders import submit as task_order_submit
from services.core.money import format_area
from services.task_orders.form import FIELDS
from tui import calls
from tui.choice import ChoiceField
from tui.screens_base import LeanScreen
from tui.logs import logger, new_reference
from tui.text import required_label, safe
from tui.widgets import CompactInput, LeanFooter, PlainStatic

FIELD_KEYS = tuple(spec.key for spec in FIELDS)
_log = logger("task_orders")


def building_text(card: drafts.BuildingCard) -> str:
    floors = f"{card.floors_above}层" + (f"（地下{card.floors_below}层）" if card.floors_below else "")
    saved = f"已保存 {card.saved_houses}户 {format_area(card.saved_area)}㎡" if card.saved_houses else "未保存房屋"
    return f"{card.name}　{card.units}单元 {floors} {card.houses}户　{saved}"


class BuildingList(SelectionList[int]):
    """Building cards with tick boxes: Space ticks, Enter opens the building's house grid."""

    BINDINGS = [Binding("enter", "open_grid", "选择分户", id="building_cards.open_grid")]

    def render_line(self, y: int) -> Strip:
        """The tick box reads without colour: ✓ when ticked, blank when not (both were an X)."""
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if len(segments) < 2 or index >= self.option_count:
            return strip
        ticked = self.get_option_at_index(index).value in self._selected
        inner = segments[1]
        segments[1] = Segment("✓" if ticked else " ", inner.style, inner.control)
        return Strip(segments, strip.cell_length)

    def action_open_grid(self) -> None:
        if self.highlighted is not None:
            self.screen.open_grid(self.get_option_at_index(self.highlighted).value)


class TaskOrderFormScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    TaskOrderFormScreen #form { grid-size: 2; grid-columns: 1fr 1fr; height: auto; padding: 0 1; }
    TaskOrderFormScreen .pair { height: 1; }
    TaskOrderFormScreen .pair > .label { width: 18; text-align: right; padding-right: 1; }  /* *申请支取金额(元) in full */
    TaskOrderFormScreen .pair > CompactInput, TaskOrderFormScreen .pair > ChoiceField { width: 1fr; }
    TaskOrderFormScreen .pair > .-bad { background: $error 40%; }
    TaskOrderFormScreen #buildings-title { height: 1; padding: 0 1; text-style: bold; margin-top: 1; }
    TaskOrderFormScreen BuildingList { height: 1fr; border: none; }
    TaskOrderFormScreen #form-message { height: auto; }
    """
    BINDINGS = [
        Binding("f9", "confirm", "前往确认界面", id="task_order_form.confirm"),
        Binding("f4", "fill_totals", "填入户数面积", id="task_order_form.fill_totals"),
        Binding("f5", "compute_rate", "计算分摊标准", id="task_order_form.compute_rate"),
        Binding("f2", "select_all", "全选自然幢", id="task_order_form.select_all"),
        Binding("f3", "invert", "反选自然幢", id="task_order_form.invert"),
        Binding("f7,escape", "back", "上一步", id="task_order_form.back"),
        Binding("f8", "discard", "撤销任务单", id="task_order_form.discard"),
    ]

    def __init__(self, order_id: int, forward: steps.ForwardTo, *, resume: bool = False) -> None:
        super().__init__()
        self.order_id = order_id
        self.forward = forward
        self.resume = resume
        self.cards: list[drafts.BuildingCard] = []
        self._ticked_once = False
        self._message_field: str | None = None
        self._save_queue: deque[tuple[str, str]] = deque()
        self._save_lock = threading.Lock()
        self._saver_running = False
        self._version: int | None = None  # the draft's version this screen last read or wrote (B8)

    def compose(self) -> ComposeResult:
        yield Static("新建任务单-选择自然幢", id="form-title", classes="title", markup=False)
        with Grid(id="form"):
            for spec in FIELDS:
                with Horizontal(classes="pair"):
                    yield Static(required_label(spec.label, spec.required), classes="label", markup=False)
                    if spec.choices:
                        yield ChoiceField(spec.choices, id=spec.key)
                    else:
                        yield CompactInput(id=spec.key, max_length=spec.max_length, placeholder=spec.hint)
        yield PlainStatic("", id="form-message", classes="message")
        yield Static("自然幢（空格勾选，Enter 选择分户）", id="buildings-title", markup=False)
        yield BuildingList(id="buildings")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#project_name").focus()
        self._load_state()

    def on_screen_resume(self) -> None:
        self._load_buildings()

    # -- loading -----------------------------------------------------------------------------
    def _load_state(self) -> None:
        def load(db, actor):
            return drafts.draft_state(db, actor, self.order_id), drafts.building_cards(db, actor, self.order_id)

        calls.run(self, load, done=self._show_state, failed=self._say_error, group="state")

    def _say_error(self, error: ServiceError) -> None:
        self.say(error.message)

    def _show_state(self, loaded: tuple[drafts.DraftState, list[drafts.BuildingCard]]) -> None:
        state, cards = loaded
        with self._save_lock:
            self._version = state.version
        community = state.community
        title = f"新建任务单-选择自然幢　{community.name}（{community.district}）"
        if state.replaces_application_no:
            title += f"　修改自 {state.replaces_application_no}"
        self.query_one("#form-title", Static).update(safe(title))
        for key, value in state.values.items():
            widget = self.query_one(f"#{key}")
            if isinstance(widget, ChoiceField):
                widget.set_value(value)
            else:
                widget.value = value
        self._show_buildings(cards)
        if self.resume and state.step == "grid" and state.building_id:
            self.open_grid(state.building_id)
        elif self.resume and state.step == "confirm":
            self.action_confirm()

    def _load_buildings(self) -> None:
        calls.run(self, drafts.building_cards, self.order_id, done=self._show_buildings, failed=self._say_error,
                  group="buildings")

    def _show_buildings(self, cards: list[drafts.BuildingCard]) -> None:
        listing = self.query_one(BuildingList)
        ticked = set(listing.selected)
        if not self._ticked_once:  # a reopened draft starts with the buildings that hold saved houses
            ticked = {c.building_id for c in cards if c.saved_houses}
            self._ticked_once = True
        highlighted = listing.highlighted
        self.cards = cards
        listing.clear_options()
        listing.add_options(Selection(safe(building_text(c)), c.building_id, c.building_id in ticked)
                            for c in cards)
        if cards:
            listing.highlighted = min(highlighted or 0, len(cards) - 1)

    def say(self, message: str, field: str | None = None) -> None:
        self._message_field = field
        self.query_one("#form-message", PlainStatic).set_text(message)

    def ticked(self) -> list[int]:
        return sorted(self.query_one(BuildingList).selected)

    # -- fields ------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        if event.input.id in FIELD_KEYS:
            self._save(event.input.id, event.value)

    @on(ChoiceField.Changed)
    def _chose(self, event: ChoiceField.Changed) -> None:
        self._save(event.field.id, event.value)

    def _save(self, key: str, value: str) -> None:
        # Saved one after another in the order the clerk left the fields: a rule between two
        # fields (amount ≤ budget) must see them in that order. One worker drains the queue, so the
        # saves still queued when the clerk leaves the screen are made all the same.
        with self._save_lock:
            self._save_queue.append((key, value))
            if self._saver_running:
                return
            self._saver_running = True
        calls.run(self, self._drain_saves, progress=self._field_saved, failed=self._say_error, group="save",
                  exclusive=False)

    def _drain_saves(self, db, actor, progress) -> None:
        """In the worker: each field's outcome goes to `progress`, on the UI thread."""
        while True:
            with self._save_lock:
                if not self._save_queue:
                    self._saver_running = False
                    return
                key, value = self._save_queue.popleft()
            try:
                progress(key, value, self._versioned(db, actor, drafts.save_field, key, value), None)
            except ServiceError as exc:  # one field refused; the fields after it are still saved
                progress(key, value, None, exc)
            except Exception as exc:  # noqa: BLE001 - a locked or full disk must not stop the later saves
                reference = new_reference()
                _log.error("save_field %s failed ref=%s order=%s", key, reference, self.order_id, exc_info=exc)
                progress(key, value, None, ServiceError(f"本项未保存：{calls.unexpected_message(reference)}", key))
            except BaseException:
                with self._save_lock:
                    self._saver_running = False
                raise

    def _versioned(self, db, actor, service, *args):
        """In the worker: a change of the form, sent with the version this screen read, so someone
        else's change in between is refused instead of overwritten (B8); this screen's own changes
        follow on (a success leaves the expected version plus one)."""
        with self._save_lock:
            expected = self._version
        result = service(db, actor, self.order_id, *args, expected_version=expected)
        with self._save_lock:
            if expected is not None and self._version == expected:
                self._version = expected + 1
        return result

    def _stale(self, message: str) -> None:
        """Another clerk changed this draft: say so, and show what is stored now."""
        self._load_state()
        self.say(message)

    def _field_saved(self, key: str, sent: str, shown: str | None, error: ServiceError | None) -> None:
        if isinstance(error, StaleRecord):
            self._stale(error.message)
        elif error is not None:  # the clerk has moved on: the message stays, focus is not pulled back
            self.field_error(error.field or key, error.message, take_focus=False)
        else:
            self._saved(key, sent, shown)

    def _saved(self, key: str, sent: str, shown: str) -> None:
        widget = self.query_one(f"#{key}")
        widget.remove_class("-bad")
        if isinstance(widget, CompactInput) and widget.value == sent and shown != sent:
            widget.value = shown  # the stored form, e.g. "1,000" → "1000.00"
        if self._message_field == key:  # this field's complaint is answered; others stay
            self.say("")

    def field_error(self, key: str, message: str, take_focus: bool = True) -> None:
        """Mark the field and say why. A save on leaving a field never pulls focus back: the
        clerk has moved on, and pulling it back trapped focus in the start date."""
        if key in FIELD_KEYS:
            widget = self.query_one(f"#{key}")
            widget.add_class("-bad")
            self.say(message, key)
            if take_focus and self.focused is not widget:
                widget.focus()
        else:
            self.say(message, key)
            if key == "scope":
                self.query_one(BuildingList).focus()

    # -- buildings ---------------------------------------------------------------------------
    def action_select_all(self) -> None:
        self.query_one(BuildingList).select_all()

    def action_invert(self) -> None:
        self.query_one(BuildingList).toggle_all()

    def open_grid(self, building_id: int) -> None:
        name = next((c.name for c in self.cards if c.building_id == building_id), "")
        self.forward(steps.OpenGrid(building_id, name))

    def action_fill_totals(self) -> None:
        self._run(drafts.fill_totals, self.ticked(), then=self._filled)

    def _filled(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self.query_one(f"#{key}", CompactInput).value = value
            self.query_one(f"#{key}").remove_class("-bad")
        self.say(f"已填入：分摊总户数 {values['total_households']} 户，分摊总面积 {values['total_area']} ㎡")

    def action_compute_rate(self) -> None:
        self._run(drafts.compute_rate, then=self._rated)

    def _rated(self, rate: str) -> None:
        self.query_one("#rate", CompactInput).value = rate
        self.query_one("#rate").remove_class("-bad")
        self.say(f"分摊标准 {rate} 元/㎡")

    def action_confirm(self) -> None:
        self._run(task_order_submit.preview, self.ticked(), then=self._confirmation)

    def _confirmation(self, confirmation: task_order_submit.Confirmation) -> None:
        self.forward(steps.Confirm(confirmation, self.ticked()))

    def _run(self, service, *args, then) -> None:
        """Save the focused field first, so a button never works on a stale value."""
        focused = self.focused
        pending = (focused.id, focused.value) if isinstance(focused, CompactInput) else None
        self._call(service, args, then, pending)

    def _call(self, service, args, then, pending) -> None:
        def call(db, actor):
            if pending and pending[0] in FIELD_KEYS:
                self._versioned(db, actor, drafts.save_field, *pending)
            if service in (drafts.fill_totals, drafts.compute_rate, drafts.discard):
                return self._versioned(db, actor, service, *args)
            return service(db, actor, self.order_id, *args)

        calls.run(self, call, done=then, failed=self._action_failed, group="action")

    def _action_failed(self, error: ServiceError) -> None:
        if isinstance(error, StaleRecord):
            self._stale(error.message)
        else:
            self.field_error(error.field or "", error.message)

    # -- leaving -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(steps.Back())

    def action_discard(self) -> None:
        self.app.push_screen(ConfirmDialog("确定撤销本任务单吗？已填写的内容和已保存的房屋将不再保留。"),
                             self._discard_confirmed)

    def _discard_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._run(drafts.discard, then=lambda _: self.dismiss(steps.Discarded()))
