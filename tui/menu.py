"""The menu list: an OptionList whose highlight colours each entry's label, not the whole line, so a step
through the menu re-sends two labels rather than two full lines (see tui.textual_hooks)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.textual_hooks import narrow_highlight


@narrow_highlight
class MenuList(OptionList):
    def __init__(self, *entries: tuple[str, str, str], separator: str = "　—　", **kwargs) -> None:
        """`entries` are (id, label, help): each option shows `label`, `separator`, `help`, as plain text."""
        from tui.text import safe

        self._label_cells = {key: cell_len(label) for key, label, _help in entries}
        super().__init__(*(Option(safe(f"{label}{separator}{text}"), id=key) for key, label, text in entries),
                         **kwargs)

    def highlight_cells(self, option: Option) -> int | None:
        cells = self._label_cells.get(option.id)
        if cells is None:
            return None
        return cells + self.get_component_styles("option-list--option").padding.left
