"""Textual caches that kept closed screens alive, bounded by what they cache rather than who asked.

Installed by tui.textual_hooks (its registry, release and source checks: the one module that
reaches into Textual's private modules). Measured with
`python -m bench session_rss_mb session_rss_growth_mb`:

- styles_lru: `StylesCache.get_inner_outer` is an `lru_cache(1024)` on a method, so its key holds
  the StylesCache itself, and with it every rendered line of a widget long gone. Each journey
  through the task-order screens left ~116 of them (and ~750 strips) alive until 1,024 were
  cached: 16 MB of growth over 19 journeys. Its result depends on the two colours only; cached
  on those, a popped screen's widgets take their renderings with them.
- strip_caches: every Strip (one line of a widget's rendering) makes seven FIFOCaches, each with
  a dict, when it is made; nine in ten never store anything. A StripCache makes its dict on the
  first store: the 33-floor tower's journey holds ~1,000 strips, 7,000 caches (~0.7 MB) fewer
  objects for the collector to walk.
"""

from __future__ import annotations

from functools import lru_cache

from tui import textual_hooks


@lru_cache(1024)
def _inner_outer(base_background, background):
    from textual.style import Style  # as Textual builds them: its own Style, not Rich's

    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(self, base_background, background):
    return _inner_outer(base_background, background)


class StripCache:
    """FIFOCache's get and set (all a Strip calls), with the dict made on the first set."""

    __slots__ = ("_maxsize", "_cache")

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._cache: dict | None = None

    def get(self, key, default=None):
        cache = self._cache
        return default if cache is None else cache.get(key, default)

    def set(self, key, value) -> None:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        elif key not in cache and len(cache) >= self._maxsize:
            del cache[next(iter(cache))]  # first in, first out, as FIFOCache
        cache[key] = value

    __setitem__ = set

    def __len__(self) -> int:
        return 0 if self._cache is None else len(self._cache)

    def clear(self) -> None:
        self._cache = None


def install() -> None:
    """Installs this module's hooks (tui.textual_hooks checks the release and the stock sources)."""
    textual_hooks.install_styles_lru()
    textual_hooks.install_strip_caches()


def lean_caches(cls):
    """Class decorator for the App subclass: installs the hooks when the app class is defined."""
    install()
    return cls
