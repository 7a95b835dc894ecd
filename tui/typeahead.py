"""Keys typed ahead of the screen: over a slow SSH link, or from a fast typist, "name⏎password⏎" arrives in
one read, and Textual hands each key to the widget focused at that moment.

Two rules make a form take such input as it was meant:
- Enter moves on through a *priority* binding (it runs in the app's task as the key arrives) and moves the
  focus with `Screen.set_focus` (immediate; `Widget.focus` is deferred), so the next keys reach the next field;
- the form is then submitted only after every field has handled the keys already queued to it
  (`after_pending_keys`), since each input takes its keys in its own task and may not have yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.widget import Widget


def after_pending_keys(widgets: Iterable[Widget], callback: Callable[[], None]) -> None:
    """Run `callback` once each of `widgets` has processed what was queued to it: a callback message is
    queued behind them on each widget in turn. A widget no longer running is passed over."""
    chain = list(widgets)

    def step() -> None:
        while chain:
            if chain.pop(0).call_later(step):
                return
        callback()

    step()
