"""Screen base classes that repaint less.

Textual declares `Screen.focused` as a repainting reactive, so every focus move (Tab, Enter to
the next field) repaints the whole screen: ~3-5 KB at 80×24 for what is a change of two lines.
The widgets that gain and lose focus repaint themselves anyway.
"""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class LeanScreen(Screen[ResultType]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class LeanModalScreen(ModalScreen[ResultType]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
