"""Home imports the screens of the clerk's functions ahead (screens.shell.registry.warm)."""

from __future__ import annotations

import sys

from screens.shell.registry import MODULES, SCREENS, warm


def test_every_function_screen_has_its_module_named():
    assert set(MODULES) == set(SCREENS)
    for key, build in SCREENS.items():
        assert type(build()).__module__ == MODULES[key], key


def test_warm_imports_the_screens_and_skips_what_it_does_not_know(monkeypatch):
    monkeypatch.setitem(MODULES, "a_function", "colorsys")  # a module nothing else imports
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    warm(["a_function", "no_such_function"])
    assert "colorsys" in sys.modules


async def test_home_warms_the_screen_of_the_function_under_the_cursor(make_demo_app, monkeypatch):
    from services.demo.accounts import DEMO_PASSWORD
    from tests.pilot import login, settle
    from screens.shell import registry

    warmed: list[list[str]] = []
    monkeypatch.setattr(registry, "warm", lambda keys: warmed.append(list(keys)))
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await settle(pilot)
        menu = app.screen.query_one("#menu")
        first, second = (menu.get_option_at_index(i).id for i in (0, 1))
        assert warmed == [[first]]  # only the function the cursor starts on, not every screen
        await pilot.press("down", "up", "down")
        await settle(pilot)
        assert warmed == [[first], [second]]  # each once
