"""Helpers for driving the app with a pilot the way a clerk does: keys only."""

from __future__ import annotations

from textual.widgets import Input


async def _finish_workers(app) -> None:
    # A DirectoryTree (the file picker) keeps a loader worker alive for as long as it is mounted.
    busy = [w for w in app.workers if w.group != "_loader"]
    if busy:  # an empty list would mean "every worker", the loader included
        await app.workers.wait_for_complete(busy)


async def settle(pilot) -> None:
    """Let workers finish and their results reach the screen."""
    await _finish_workers(pilot.app)
    await pilot.pause()
    await _finish_workers(pilot.app)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


async def login(pilot, username: str, password: str, captcha: str | None = None) -> None:
    """Fill the login form field by field with Enter, as at the terminal."""
    screen = pilot.app.screen
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await type_text(pilot, screen.captcha.code if captcha is None else captcha)
    await pilot.press("enter")
    await settle(pilot)


def text_of(app, selector: str) -> str:
    widget = app.screen.query_one(selector)
    if isinstance(widget, Input):
        return widget.value
    return str(widget.render())


async def wait_for(pilot, predicate, timeout: float = 5.0) -> bool:
    """Pause until predicate() holds (timers fire late on a loaded machine); False on timeout."""
    waited = 0.0
    while not predicate():
        if waited >= timeout:
            return False
        await pilot.pause(0.1)
        waited += 0.1
    return True


async def burst(pilot, text: str) -> None:
    """Keys typed ahead, as one read of the terminal brings them (a fast typist over SSH, a paste of
    keystrokes): every key is queued on the app before the first is handled. "\\r" is Enter, "\\t" Tab."""
    from textual import events
    from textual.keys import _character_to_key

    for char in text:
        key = {"\r": "enter", "\t": "tab"}.get(char) or _character_to_key(char)
        pilot.app.post_message(events.Key(key, None if char in "\r\t" else char))
    await settle(pilot)
