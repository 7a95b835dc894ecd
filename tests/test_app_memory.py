"""The app process gives a closed screen's memory back at once (tui.memory), and keeps its outbox moving."""

from __future__ import annotations

import gc
import platform
import weakref

import pytest
from textual.widgets import Input, Static

from tests.pilot import login, wait_for
from tui.screens_base import LeanScreen


class Crowded(LeanScreen[None]):
    def compose(self):
        for number in range(40):
            yield Static(f"第 {number} 行")
            yield Input(value=str(number))


@pytest.fixture
def no_automatic_gc():
    """Only the app's collector may free cycles: Python's own collections come at moments of their choosing."""
    gc.disable()
    yield
    gc.enable()


async def test_a_closed_screen_is_freed_just_after_the_screen_change(make_demo_app, no_automatic_gc):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # the first collection, at the login screen, freezes what the process has loaded so far
        assert await wait_for(pilot, lambda: app.memory.durations_ms)
        await app.push_screen(Crowded())
        await pilot.pause()
        screen = weakref.ref(app.screen)
        done = len(app.memory.durations_ms)
        await app.pop_screen()
        assert screen() is not None  # widgets refer to one another: freed by the cycle collector only
        assert await wait_for(pilot, lambda: len(app.memory.durations_ms) > done)
        assert screen() is None


async def _closed_and_freed(pilot, app, screen) -> bool:
    """Pop `screen` (the top one); True once a collection after it has freed it."""
    freed = weakref.ref(screen)
    del screen
    done = len(app.memory.durations_ms)
    await app.pop_screen()
    assert await wait_for(pilot, lambda: len(app.memory.durations_ms) > done)
    return await wait_for(pilot, lambda: freed() is None)


async def test_a_screen_that_showed_a_message_is_freed_while_the_message_lasts(make_demo_app, no_automatic_gc):
    """The message line's timer ran in the screen's context: stopped when the screen closed, its sleep
    stayed in asyncio's schedule, holding the screen, until the message would have expired."""
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.memory.durations_ms)
        await app.push_screen(Crowded())
        app.screen.call_later(app.notify, "已保存", timeout=30)
        assert await wait_for(pilot, lambda: app.screen.query("#message-line"))
        assert await _closed_and_freed(pilot, app, app.screen)


async def test_an_app_interval_started_from_a_screen_does_not_keep_it(make_demo_app, no_automatic_gc):
    """The idle lock's interval is started as the login succeeds, from the login screen's handler."""
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.memory.durations_ms)
        await app.push_screen(Crowded())
        intervals = []
        app.screen.call_later(lambda: intervals.append(app.set_interval(600, lambda: None)))
        assert await wait_for(pilot, lambda: intervals)
        assert await _closed_and_freed(pilot, app, app.screen)


async def test_a_worker_thread_keeps_nothing_of_the_job_it_ran():
    """A pool thread kept the context of its last job, where Textual had set the current worker, and
    with the worker its screen: until the thread ran another worker."""
    import asyncio
    from contextvars import ContextVar

    from tui.memory import fresh_context_workers

    current = ContextVar("current")
    loop = asyncio.get_running_loop()
    fresh_context_workers(loop)
    await loop.run_in_executor(None, current.set, "the first job's worker")
    assert await loop.run_in_executor(None, current.get, None) is None


async def test_the_login_screen_is_freed_once_the_session_starts(make_demo_app, no_automatic_gc):
    """Home was opened from the login worker's callback, and its task kept that worker's context: the
    login screen lived as long as Home. And the idle lock's interval, started there, kept it too."""
    from services.demo.accounts import DEMO_PASSWORD

    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.memory.durations_ms)
        login_screen = weakref.ref(app.screen)
        await login(pilot, "qyjb", DEMO_PASSWORD)
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        assert await wait_for(pilot, lambda: login_screen() is None)


async def test_a_session_start_freezes_what_lives_as_long_as_it_and_the_app_thaws_it_at_exit(make_demo_app):
    from services.demo.accounts import DEMO_PASSWORD

    assert gc.get_freeze_count() == 0
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        assert await wait_for(pilot, lambda: app.memory.durations_ms and type(app.screen).__name__ == "HomeScreen")
        assert await wait_for(pilot, lambda: gc.get_freeze_count() > 0)
        # frozen: modules, the app and Home; a collection now walks only what later screens hold
        walked = len(gc.get_objects())
        assert walked < gc.get_freeze_count() / 2
    assert gc.get_freeze_count() == 0  # a process running apps one after another (these tests) frees each


async def test_the_outbox_is_delivered_on_its_interval_while_the_app_runs(make_demo_app, demo_db, monkeypatch):
    from services.notify import outbox
    from services.notify.settings import NotifySettings, SmsSettings
    from tests.test_notify_outbox import Gateway
    from tui import app as app_module

    gateway = Gateway()
    try:
        with demo_db.write() as session:
            outbox.queue(session, "sms", "13800138000", "verify_code", code="123456", secret="123456")
        monkeypatch.setattr(app_module, "OUTBOX_INTERVAL_SECONDS", 0.2)
        app = make_demo_app(notify=NotifySettings(sms=SmsSettings(url=gateway.url)))
        async with app.run_test(size=(80, 24)) as pilot:
            # nothing on the screen asked for a delivery: only the interval sends it
            assert await wait_for(pilot, lambda: gateway.requests)
        assert gateway.requests[0]["mobile"] == "13800138000"
    finally:
        gateway.close()


def test_a_sqlite_connection_keeps_a_small_page_cache(tmp_path):
    """The kernel caches the database file once for all sessions; each connection keeps only 512 KiB."""
    from models.db import SQLITE_CACHE_KIB, Database

    db = Database(f"sqlite:///{tmp_path / 'cache.db'}")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB == -512
    db.dispose()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_threads_share_one_malloc_heap():
    from tui.memory import one_malloc_arena

    assert one_malloc_arena() is True
