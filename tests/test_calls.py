"""tui.calls: a service in a thread worker, its result or its refusal on the UI thread."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult

from services.core.errors import ValidationError
from tests.logfile import log_to
from tests.pilot import settle, text_of
from tui import calls
from tui.screens_base import LeanScreen
from tui.widgets import PlainStatic


class ProbeScreen(LeanScreen[None]):
    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="amount-error")
        yield PlainStatic("", id="message")

    def show_error(self, error) -> None:
        target = f"#{error.field}-error" if error.field else "#message"
        self.query_one(target, PlainStatic).set_text(error.message)


class ProbeApp(App[None]):
    """What tui.calls uses of WxzjApp: `database()` and `actor`."""

    actor = None

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def database(self):
        return "the database"

    def on_mount(self) -> None:
        self.push_screen(ProbeScreen())

    def notify(self, message, **kwargs) -> None:
        self.notes.append(message)


async def test_result_reaches_done_on_the_ui_thread():
    app = ProbeApp()
    seen = []

    def service(db, actor, x, *, y):
        seen.append((db, actor, x, y, threading.current_thread() is threading.main_thread()))
        return x + y

    async with app.run_test() as pilot:
        calls.run(app.screen, service, 1, y=2,
                  done=lambda r: seen.append((r, threading.current_thread() is threading.main_thread())))
        await settle(pilot)
    assert seen == [("the database", None, 1, 2, False), (3, True)]


async def test_a_refusal_reaches_the_field_message():
    app = ProbeApp()

    def service(db, actor):
        raise ValidationError("申请支取金额不能大于预算金额", field="amount")

    async with app.run_test() as pilot:
        calls.run(app.screen, service, done=lambda _: None)
        await settle(pilot)
        assert text_of(app, "#amount-error") == "申请支取金额不能大于预算金额"
        assert text_of(app, "#message") == "" and app.notes == []


async def test_an_unexpected_error_is_logged_with_a_reference_and_shown_short(tmp_path):
    app = ProbeApp()
    heard = []

    def service(db, actor):
        raise RuntimeError("constraint wxzj_internal failed")

    log = tmp_path / "logs" / "wxzj.log"
    with log_to(log):
        async with app.run_test() as pilot:
            calls.run(app.screen, service, failed=heard.append)
            await settle(pilot)
            shown = text_of(app, "#message")
    text = log.read_text(encoding="utf-8")
    [error] = heard
    assert isinstance(error, calls.UnexpectedError)
    reference = error.reference
    assert f"ref={reference}" in text and "screen=ProbeScreen" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: constraint wxzj_internal failed" in text
    # The clerk sees Chinese and the reference, never the exception.
    assert app.notes == [calls.unexpected_message(reference)]
    assert shown == ""  # `failed` was given: the screen's show_error is not also called
    assert reference in error.message and "RuntimeError" not in error.message + app.notes[0]


async def test_an_unexpected_error_without_failed_goes_to_the_screen_too(tmp_path):
    app = ProbeApp()

    def service(db, actor):
        raise KeyError("x")

    with log_to(tmp_path / "wxzj.log"):
        async with app.run_test() as pilot:
            calls.run(app.screen, service)
            await settle(pilot)
            shown = text_of(app, "#message")
    assert shown.startswith("系统错误（参考号 E") and "KeyError" not in shown
    assert len(app.notes) == 1 and shown[len("系统错误（参考号 "):][:9] in app.notes[0]


async def test_a_result_for_a_dismissed_screen_is_dropped():
    app = ProbeApp()
    release = threading.Event()
    delivered = []

    def slow(db, actor, progress):
        release.wait(5)
        progress("late")
        return "late"

    async with app.run_test() as pilot:
        screen = app.screen
        calls.run(screen, slow, done=delivered.append, failed=delivered.append, progress=delivered.append)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert not screen.is_attached
    assert delivered == []


class SlowToClose(PlainStatic):
    """Holds its screen attached while it is taken down, until the gate opens."""

    def __init__(self, closing, gate) -> None:
        super().__init__("", id="slow")
        self.closing = closing
        self.gate = gate

    async def on_unmount(self) -> None:
        self.closing.set()
        await self.gate.wait()


class ClosingScreen(ProbeScreen):
    def __init__(self, closing, gate) -> None:
        super().__init__()
        self.closing = closing
        self.gate = gate

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield SlowToClose(self.closing, self.gate)


async def test_a_result_for_a_screen_being_taken_down_is_dropped():
    """The screen has left the stack but Textual is still removing its widgets: a callback looking for
    one of them would raise in the worker, where nobody hears of it."""
    import asyncio

    app = ProbeApp()
    closing, gate = asyncio.Event(), asyncio.Event()
    release = threading.Event()
    delivered = []

    def slow(db, actor):
        release.wait(5)
        return "late"

    async with app.run_test() as pilot:
        screen = ClosingScreen(closing, gate)
        await app.push_screen(screen)
        worker = calls.run(screen, slow, done=lambda result: delivered.append(screen.query_one("#message")))
        app.pop_screen()
        await closing.wait()
        release.set()
        try:
            await worker.wait()
            assert screen.is_attached and screen not in app.screen_stack  # the moment the result arrived
        finally:
            gate.set()  # else the app could not close
        await settle(pilot)
        assert worker.state.name == "SUCCESS"
    assert delivered == []


async def test_progress_runs_on_the_ui_thread():
    app = ProbeApp()
    steps = []

    def counting(db, actor, progress):
        for done in range(1, 4):
            progress(done, 3)
        return "ok"

    async with app.run_test() as pilot:
        calls.run(app.screen, counting, progress=lambda d, t: steps.append(
            (d, t, threading.current_thread() is threading.main_thread())), done=steps.append)
        await settle(pilot)
    assert steps == [(1, 3, True), (2, 3, True), (3, 3, True), "ok"]
