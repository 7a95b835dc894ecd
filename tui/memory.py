"""The app process's memory between screens: a closed screen is given back before the next one is built.

A screen's widgets refer to one another, so when it closes only Python's cycle collector frees them; and
the widgets of a screen that was open a while sit in the oldest generation, which Python collects only
once it has grown by a quarter. Until then each screen opened is built in fresh memory, and the process
grows over a working day. So a collection runs just after a screen has been taken down (tui.screens_base
tells): not at the screen change itself, when Textual is still taking the closed screen down and a
collection would leave it for the next one, after the next journey's screens were built beside it.

A full collection walks every object in the process: ~160,000 once the back end is loaded, 140 ms. What
exists when the clerk is at the session's first screen (modules, the app, Home) lives until the session
ends, so it is frozen out of the walk (`gc.freeze`), and a collection walks only what the screens opened
since hold (20-45 ms). Each session start thaws everything and collects it once, so nothing of an
earlier session stays frozen.
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import gc
import sys
import time
import weakref
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

# Time for the message loop of a screen that has unmounted to end, and Textual to let go of it.
AFTER_SCREEN_CLOSED_S = 0.05
# Textual's default screen, then the session's first screen (login, then Home).
BASE_DEPTH = 2

_NO_SESSION = object()
M_ARENA_MAX = -8  # glibc's mallopt parameter


def one_malloc_arena() -> bool:
    """Have glibc serve every thread from one heap; False where the C library is another.

    glibc gives a thread that allocates its own heap and keeps what was freed there for that thread.
    The app's workers are short threads that take turns on the GIL anyway: with a heap each, a session
    grew by ~1 MB more over its first journeys (bench session_rss_growth_mb), for no speed."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    return bool(mallopt is not None and mallopt(M_ARENA_MAX, 1))


class _FreshContextPool(ThreadPoolExecutor):
    """Runs each job in a context of its own.

    A pool thread keeps one context for its whole life, and Textual's thread worker sets the current
    worker in it: each thread kept the last worker it ran, and with it the screen that started it, until
    it ran another. So each job gets a fresh context, dropped when the job ends."""

    def submit(self, fn, /, *args, **kwargs):
        return super().submit(contextvars.Context().run, fn, *args, **kwargs)


_pools: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _FreshContextPool]" = weakref.WeakKeyDictionary()


def fresh_context_workers(loop: asyncio.AbstractEventLoop) -> None:
    """Run the loop's thread workers (its default executor) in contexts that end with each job; once a
    loop (the apps of a test share one). asyncio shuts the pool down with the loop."""
    if loop not in _pools:
        _pools[loop] = _FreshContextPool(thread_name_prefix="wxzj-worker")
        loop.set_default_executor(_pools[loop])


class ScreenCollector:
    """Runs the cycle collector just after a screen of one app has closed (and once at its start)."""

    def __init__(self, app: "App") -> None:
        self._app = app
        self._timer: "Timer | None" = None
        self._frozen_for: object = _NO_SESSION
        self._frozen_modules = 0
        self.durations_ms: deque[float] = deque(maxlen=200)  # for the bench: what each collection cost

    def collect_soon(self) -> None:
        """Collect in a moment (a screen has closed, the first screen is up, or Home's warm-up has
        imported its screens)."""
        if self._timer is None:
            self._timer = self._app.set_timer(AFTER_SCREEN_CLOSED_S, self.collect)

    def collect(self) -> None:
        self._timer = None
        started = time.perf_counter()
        session = getattr(self._app, "actor", None)
        if session is not self._frozen_for:
            gc.unfreeze()
            gc.collect()
            self._freeze(session)
        else:
            gc.collect()
            # Modules imported since the freeze (Home's warm-up, a function's first use) are frozen too,
            # but only at the first screen, where nothing short-lived is open to be frozen with them.
            if len(sys.modules) > self._frozen_modules and len(self._app.screen_stack) <= BASE_DEPTH:
                self._freeze(session)
        self.durations_ms.append((time.perf_counter() - started) * 1000)

    def _freeze(self, session: object) -> None:
        gc.freeze()
        self._frozen_for = session
        self._frozen_modules = len(sys.modules)

    def close(self) -> None:
        """Thaw what this app froze: a process that runs apps one after another (the tests) frees each."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._frozen_for is not _NO_SESSION:
            gc.unfreeze()
            self._frozen_for = _NO_SESSION
