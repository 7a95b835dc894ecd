"""Keys typed ahead (a fast typist, or a burst over a slow SSH link) reach the field they were typed for.

Textual's App dispatches each key by posting it to the focused widget's queue, so when Enter moves the
focus through Input.Submitted (handled later, on the screen's queue), the keys typed after Enter were
already posted to the old field. A screen therefore moves the focus on Enter in a priority binding
(run by the App before it dispatches the next key) with `Screen.set_focus` (not `Widget.focus`, which
is queued too), and reads the fields' values only through `after_keys`: the keys posted to a field
before Enter may not have been inserted yet when the binding runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.widget import Widget


def after_keys(widgets: Sequence[Widget], callback: Callable[[], None]) -> None:
    """Run `callback` once each of `widgets` has handled every key already posted to it: a callback is
    queued behind them on the first widget, which queues the next on the second, and so on."""

    def step(index: int) -> None:
        if index == len(widgets):
            callback()
        else:
            widgets[index].call_later(step, index + 1)

    step(0)
