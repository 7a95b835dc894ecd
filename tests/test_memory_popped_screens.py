"""A screen the clerk has left is garbage, and so is everything its widgets rendered.

Textual's `StylesCache.get_inner_outer` was an lru_cache keyed on the StylesCache itself, so the
rendered lines of every widget of every closed screen stayed alive until 1,024 had piled up: 16 MB of
growth in `session_rss_growth_mb` (tui.textual_caches). These tests fail if a closed screen, one of its
widgets or a widget's rendered lines stays reachable.
"""

from __future__ import annotations

import gc
import weakref

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static

import tui.app  # noqa: F401  (installs the app's Textual hooks, as the running app has them)
from screens.task_orders.form import TaskOrderFormScreen
from screens.task_orders.home import TaskOrderHomeScreen
from tests.pilot import settle, wait_for
from tests.test_task_order_flow import SIZE, open_first_grid
from tui import textual_caches, textual_hooks


def _rendering_refs(screen) -> list[weakref.ref]:
    """Weak references to a screen, its widgets and their caches of rendered lines."""
    refs = [weakref.ref(screen)]
    for widget in screen.walk_children(with_self=False):
        refs += [weakref.ref(widget), weakref.ref(widget._styles_cache)]
    return refs


def _alive(refs: list[weakref.ref]) -> list[str]:
    gc.collect()
    return [type(obj).__name__ for obj in (ref() for ref in refs) if obj is not None]


class _Lines(Screen):
    def compose(self):
        for row in range(8):
            yield Static(f"第 {row} 行", classes="boxed")
        yield Input(value="房屋")


class _PushPop(App):
    CSS = ".boxed { background: $panel; padding: 0 1; }"


async def test_the_styles_hook_is_installed_on_this_textual():
    assert textual_hooks.usable("styles_lru")
    from textual._styles_cache import StylesCache

    assert StylesCache.get_inner_outer is textual_caches._get_inner_outer


async def test_a_popped_screen_and_its_renderings_are_garbage():
    app = _PushPop()
    async with app.run_test(size=(80, 24)) as pilot:
        refs = []
        for _ in range(3):
            screen = _Lines()
            await app.push_screen(screen)
            await pilot.pause()
            refs += _rendering_refs(screen)
            del screen
            app.pop_screen()
            await pilot.pause()
        await wait_for(pilot, lambda: not _alive(refs))  # a popped screen is removed a few messages later
        assert _alive(refs) == []


async def test_the_house_grid_and_the_form_are_garbage_once_the_draft_is_discarded(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_grid(pilot)
        refs = _rendering_refs(app.screen)  # HouseGridScreen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderFormScreen)
        refs += _rendering_refs(app.screen)
        await pilot.press("f8", "y")  # 放弃 the draft: back to the order list
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
        # The next step (Textual holds on to the last screen a key went to until then): what must not
        # happen is that they pile up, journey after journey.
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
        await wait_for(pilot, lambda: not _alive(refs))
        assert _alive(refs) == []


def test_the_strip_caches_hook_is_installed_on_this_textual():
    import textual.strip

    assert textual_hooks.usable("strip_caches")
    assert textual.strip.FIFOCache is textual_caches.StripCache
    strip = textual.strip.Strip([])
    assert strip._crop_cache._cache is None  # no dict until something is stored


@given(st.integers(1, 6), st.lists(st.tuples(st.booleans(), st.integers(0, 9)), max_size=60))
def test_a_strip_cache_keeps_and_drops_what_textuals_fifo_cache_does(maxsize, operations):
    from textual.cache import FIFOCache

    ours, stock = textual_caches.StripCache(maxsize), FIFOCache(maxsize)
    for number, (store, key) in enumerate(operations):
        if store:
            ours[key] = stock[key] = number
        assert ours.get(key) == stock.get(key)
        assert len(ours) == len(stock)
    assert [ours.get(key, "-") for key in range(10)] == [stock.get(key, "-") for key in range(10)]
