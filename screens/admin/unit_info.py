"""单位信息管理 (BJ-25): the core information read-only, every auxiliary field of the manual in one scrolling
column (Enter or Tab moves on), 【质监校验】 for a new unit name, 【提交】 → 业务办理完成."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from screens.common.dialogs import NoticeDialog
from services.admin import unit_info as unit
from services.core.errors import ServiceError, StaleRecord
from tui import calls
from tui.choice import ChoiceField
from tui.screens_base import LeanScreen
from tui.widgets import FieldRow, LeanFooter, PlainStatic


class ChoiceRow(FieldRow):
    """A FieldRow whose input is a ←→ choice (是否具备法人资格, 所属区县)."""

    def __init__(self, label: str, field: str, choices: tuple[str, ...], *, required: bool = False) -> None:
        super().__init__(label, field, required=required)
        self._input = ChoiceField(choices, id=field)


class UnitInfoScreen(LeanScreen[None]):
    DEFAULT_CSS = """
    UnitInfoScreen #core { height: auto; }
    UnitInfoScreen FieldRow > .field-label { width: 24; }
    UnitInfoScreen FieldRow > CompactInput { width: 30; }
    UnitInfoScreen FieldRow > ChoiceField { width: 30; }
    UnitInfoScreen .section { height: 1; text-style: bold; padding: 0 1; }
    UnitInfoScreen #form { height: 1fr; }
    UnitInfoScreen #unit-message { height: auto; }
    """
    BINDINGS = [
        Binding("f4", "verify", "质监校验", id="unit_info.verify"),
        Binding("f5", "submit", "提交", id="unit_info.submit"),
        Binding("f6", "reload", "刷新", id="unit_info.reload"),
        Binding("escape", "app.pop_screen", "返回", id="unit_info.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.info: unit.UnitInfo | None = None
        self.verified: str | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static("单位信息管理", classes="title", markup=False)
        yield Static("单位核心信息（变更单位名称须先【质监校验】F4）", classes="section", markup=False)
        yield FieldRow("单位名称", unit.NAME_FIELD, max_length=100, required=True)
        yield PlainStatic("正在读取单位信息 …", id="core", classes="hint")
        yield Static("单位辅助信息（带 * 的为必填项；Enter 下一项，F5 提交）", classes="section", markup=False)
        with VerticalScroll(id="form"):
            for spec in unit.FIELDS:
                if spec.key == "legal_person":
                    yield ChoiceRow(spec.label, spec.key, unit.LEGAL_PERSON_CHOICES)
                else:
                    yield FieldRow(spec.label, spec.key, max_length=spec.max_length, required=spec.required,
                                   placeholder=spec.hint)
            yield ChoiceRow("所属区县", unit.DISTRICT_FIELD, (), required=True)
        yield PlainStatic("", id="unit-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        calls.run(self, unit.load, done=self._show, failed=lambda e: self.say(e.message), group="load")

    def _show(self, info: unit.UnitInfo) -> None:
        self.info = info
        self.verified = None
        self.query_one(f"#{unit.NAME_FIELD}", Input).value = info.name
        self.query_one("#core", PlainStatic).set_text(
            "　".join(f"{label}：{value or '—'}" for label, value in info.core[1:]))
        for spec in unit.FIELDS:
            widget = self.query_one(f"#{spec.key}")
            if isinstance(widget, ChoiceField):
                widget.set_value(info.values[spec.key])
            else:
                widget.value = info.values[spec.key]
        district = self.query_one(f"#{unit.DISTRICT_FIELD}", ChoiceField)
        district.choices = tuple(name for _, name in info.districts)
        district.set_value(dict(info.districts).get(info.district_id, ""))
        self._clear_errors()
        self.say("")
        self.query_one(f"#{unit.NAME_FIELD}", Input).focus()

    def say(self, message: str) -> None:
        self.query_one("#unit-message", PlainStatic).set_text(message)

    def _clear_errors(self) -> None:
        for error in self.query(".field-error"):
            error.set_text("")

    def show_error(self, error: ServiceError) -> None:
        self.busy = False
        self._clear_errors()
        if error.field and self.query(f"#{error.field}-error"):
            self.query_one(f"#{error.field}-error", PlainStatic).set_text(error.message)
            self.query_one(f"#{error.field}").focus()
            self.say(error.message)
        else:
            self.say(error.message + ("（按 F6 刷新）" if isinstance(error, StaleRecord) else ""))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Input.Changed, f"#{unit.NAME_FIELD}")
    def _name_changed(self, event: Input.Changed) -> None:
        if self.info is None:
            return
        changed = event.value.strip() != self.info.name
        note = "" if not changed else ("质监校验已通过" if event.value.strip() == self.verified else "需质监校验（F4）")
        self.query_one(f"#{unit.NAME_FIELD}-error", PlainStatic).set_text(note)

    def action_verify(self) -> None:
        name = self.query_one(f"#{unit.NAME_FIELD}", Input).value
        calls.run(self, unit.verify_name, name, done=self._verified, group="verify")

    def _verified(self, name: str) -> None:
        self.verified = name
        self._clear_errors()
        self.query_one(f"#{unit.NAME_FIELD}-error", PlainStatic).set_text("质监校验已通过")
        self.say(f"质监校验通过：{name}")

    def _values(self) -> dict[str, str]:
        values = {}
        for spec in unit.FIELDS:
            widget = self.query_one(f"#{spec.key}")
            values[spec.key] = widget.value if not isinstance(widget, ChoiceField) else widget.value
        return values

    def action_submit(self) -> None:
        if self.info is None or self.busy:
            return
        self.busy = True
        district_name = self.query_one(f"#{unit.DISTRICT_FIELD}", ChoiceField).value
        district_id = {name: i for i, name in self.info.districts}.get(district_name)
        calls.run(self, unit.submit, self._values(), self.info.version,
                  new_name=self.query_one(f"#{unit.NAME_FIELD}", Input).value, verified_name=self.verified,
                  district_id=district_id, done=self._done, group="submit")

    def _done(self, changed: unit.Changed) -> None:
        self.busy = False
        body = [f"单位信息变更已完成（业务流水号 {changed.serial_no}）。", ""]
        body += [f"{label}：{old or '（空）'} → {new or '（空）'}" for label, old, new in changed.changes]
        self.app.push_screen(NoticeDialog("业务办理完成", "\n".join(body)))
        self.action_reload()
