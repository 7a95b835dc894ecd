"""The data table the screens use (kept out of tui.widgets: the login screen must not load it)."""

from __future__ import annotations

from textual.widgets import DataTable


class Table(DataTable):
    """A DataTable whose rows never show with stale column widths.

    Textual 8.2.8 widens auto-width columns on idle after rows are added, but keeps the row
    renderings it may have cached in between; a row drawn before that moment then stays cut to
    the old widths (seen with the review queue on a real terminal). Widening drops those caches.
    """

    def _update_dimensions(self, new_rows) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()
