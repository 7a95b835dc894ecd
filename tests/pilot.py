"""Helpers for driving the app with a pilot the way a clerk does: keys only."""

from __future__ import annotations

from textual.widgets import Input
from textual.worker import WorkerCancelled


async def _finish_workers(app) -> None:
    # A DirectoryTree (the file picker) keeps a loader worker alive for as long as it is mounted.
    for worker in [w for w in app.workers if w.group != "_loader"]:
        try:
            await worker.wait()
        except WorkerCancelled:
            pass  # its screen closed under it: finished, as far as the test is concerned


async def settle(pilot) -> None:
    """Let workers finish and their results reach the screen."""
    await _finish_workers(pilot.app)
    await pilot.pause()
    await _finish_workers(pilot.app)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


async def login(pilot, username: str, password: str, captcha: str | None = None, *,
                choose_system: bool = True) -> None:
    """Fill the login form field by field with Enter, as at the terminal; then, in Shanghai, 确认选择 the
    system when it is asked (SH-05; choose_system=False leaves it on the screen)."""
    # Not the screen itself: held here while the session starts, it would be frozen with what lives as
    # long as the session (tui.memory), and outlive it.
    code = pilot.app.screen.captcha.code if captcha is None else captcha
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await type_text(pilot, code)
    await pilot.press("enter")
    await settle(pilot)
    if choose_system and is_system_choice(pilot.app.screen):
        await confirm_system(pilot)


def is_system_choice(screen) -> bool:
    from screens.identity.system_choice import SystemChoiceScreen

    return isinstance(screen, SystemChoiceScreen)


async def confirm_system(pilot) -> None:
    """SH-05 统一登录平台: the system is highlighted; F9【确认选择】."""
    assert is_system_choice(pilot.app.screen), type(pilot.app.screen).__name__
    await pilot.press("f9")
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


async def burst(pilot, *parts: str) -> None:
    """Keys typed ahead, as one read of the terminal brings them (a fast typist over SSH, a paste of
    keystrokes): every key is queued on the app before the first is handled. Each part is text, in
    which "\r" is Enter and "\t" Tab, or a key's name in angle brackets ("<right>")."""
    from textual import events
    from textual.keys import _character_to_key

    for part in parts:
        if part.startswith("<") and part.endswith(">") and len(part) > 2:
            pilot.app.post_message(events.Key(part[1:-1], None))
            continue
        for char in part:
            key = {"\r": "enter", "\t": "tab"}.get(char) or _character_to_key(char)
            pilot.app.post_message(events.Key(key, None if char in "\r\t" else char))
    await settle(pilot)
