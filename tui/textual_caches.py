"""Textual caches that kept closed screens alive, bounded by what they cache rather than who asked.

Hooks of the tui.textual_hooks kind (same registry, same release and source checks), kept apart
from it for its 400 lines. Measured with `python -m bench session_rss_mb session_rss_growth_mb`:

- styles_lru: `StylesCache.get_inner_outer` is an `lru_cache(1024)` on a method, so its key holds
  the StylesCache itself, and with it every rendered line of a widget long gone. Each journey
  through the task-order screens left ~116 of them (and ~750 strips) alive until 1,024 were
  cached: 16 MB of growth over 19 journeys. Its result depends on the two colours only; cached
  on those, a popped screen's widgets take their renderings with them.
"""

from __future__ import annotations

from functools import lru_cache

from tui.textual_hooks import HOOKS, Hook, usable

HOOKS["styles_lru"] = Hook("styles_lru", (
    ("textual._styles_cache", "StylesCache.get_inner_outer",
     "d81888c7a5f8b03be05c77a57c51f7664b5746d8b8026dc2a08ccc123939f936"),
))


@lru_cache(1024)
def _inner_outer(base_background, background):
    from textual.style import Style  # as Textual builds them: its own Style, not Rich's

    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(self, base_background, background):
    return _inner_outer(base_background, background)


def install() -> None:
    """Installs every hook of this module that the running Textual allows; safe to call again."""
    if usable("styles_lru"):
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer = _get_inner_outer


def lean_caches(cls):
    """Class decorator for the App subclass: installs the hooks when the app class is defined."""
    install()
    return cls
