"""The data table the screens use (kept out of tui.widgets: the login screen must not load it)."""

from __future__ import annotations

from textual.widgets import DataTable

from tui.textual_hooks import table_rewiden


@table_rewiden
class Table(DataTable):
    """A DataTable whose rows never show with stale column widths (see tui.textual_hooks)."""
