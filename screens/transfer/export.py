"""导出Excel on any list screen: one key (Ctrl+O) and one command-palette entry, the file delivered like
the PDFs (screens.common.deliver: the downloads folder and its path in a terminal, a browser download
under textual-serve).

The one line a list screen adds is the base class:

    class BusinessLogScreen(Exportable, LeanScreen[None]):

By default the rows of the screen's (first, or focused) table are exported as they are shown, with
the table's column names; amounts and areas ("(元)", "(㎡)" columns) become numbers. A screen whose
table shows only a page of its filter overrides `export_source()` and returns a function
`(db, actor) -> ExportTable` that its own service fills with every row of the current filter; it
runs in the worker, so the screen stays responsive. A screen with its own COMMANDS keeps the entry
with `COMMANDS = Exportable.COMMANDS | {Mine}`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widgets import DataTable

from screens.common.deliver import deliver_bytes
from services.core.errors import ServiceError
from services.transfer import export
from tui import calls
from tui.table import GapCell
from tui.widgets import PlainStatic

GROUP = "export"
LABEL = "导出Excel"
HELP = "把当前列表（当前查询条件下的全部行）导出为 Excel 文件（Ctrl+O）"
EXPORT_BINDING = Binding("ctrl+o", "export_xlsx", LABEL, id="transfer.export")
SKIP_COLUMNS = ("选",)  # the marking column is not data

Source = export.ExportTable | Callable[..., export.ExportTable]


class ExportProgress(PlainStatic):
    DEFAULT_CSS = """
    ExportProgress { dock: bottom; offset-y: -1; height: 1; width: 1fr; padding: 0 1; background: $primary-muted; }
    """


class ExportCommands(Provider):
    """导出Excel in the command palette of a screen that can export."""

    ACTIONS = frozenset({"export_xlsx"})  # listed here, with its help, rather than by tui.commands

    async def discover(self) -> Hits:
        screen = self.screen
        if isinstance(screen, Exportable):
            yield DiscoveryHit(LABEL, screen.action_export_xlsx, help=HELP)

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, Exportable):
            return
        matcher = self.matcher(query)
        for text in (LABEL, "导出"):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(LABEL), screen.action_export_xlsx, help=HELP)
                return


class Exportable:
    """Mixin for a list screen (put it before the screen base class).

    A plain class, not a DOMNode: Textual takes a screen's CSS type names along the first DOMNode base
    of each class, so a DOMNode mixin hid `Screen`, `LeanScreen` and the screen's own base from its
    CSS: no background (the screen beneath showed through) and the base's DEFAULT_CSS unapplied."""

    COMMANDS = {ExportCommands}
    EXPORT_TITLE: str | None = None  # the file's and sheet's name; default: the screen's title line

    def __init_subclass__(cls, **kwargs) -> None:
        # The key goes after the screen's own keys, so that the footer shows those first.
        if Exportable in cls.__bases__:
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", []), EXPORT_BINDING]
        super().__init_subclass__(**kwargs)

    def export_title(self) -> str:
        if self.EXPORT_TITLE:
            return self.EXPORT_TITLE
        titles = self.query(".title")
        if titles:
            shown = titles.first().render()
            return str(shown.plain if isinstance(shown, Text) else shown).split("　")[0].split(" — ")[0]
        return type(self).__name__

    def export_table_widget(self) -> DataTable:
        focused = self.screen.focused
        return focused if isinstance(focused, DataTable) else self.query(DataTable).first()

    def export_source(self) -> Source:
        """The rows to export; by default those the table shows."""
        return table_rows(self.export_title(), self.export_table_widget())

    def action_export_xlsx(self) -> None:
        if not self.query(DataTable) and type(self).export_source is Exportable.export_source:
            self.app.notify("当前界面没有可导出的列表", severity="warning", markup=False)
            return
        start_export(self, self.export_source())


def _plain(value) -> str:
    if isinstance(value, GapCell):  # a time shown short is exported whole
        return str(value.value)
    if isinstance(value, Text):
        return value.plain
    return "" if value is None else str(value)


def table_rows(title: str, table: DataTable) -> export.ExportTable:
    """What a DataTable shows, as an ExportTable (read on the UI thread)."""
    titles = [_plain(c.label) for c in table.ordered_columns]
    keep = [i for i, t in enumerate(titles) if t not in SKIP_COLUMNS]
    rows = []
    for index in range(table.row_count):
        cells = table.get_row_at(index)
        rows.append([_plain(cells[i]) for i in keep])
    return export.ExportTable(title, [titles[i] for i in keep], rows)


def start_export(screen, source: Source, done: Callable[[export.ExportResult], None] | None = None) -> None:
    """Build the XLSX in a thread worker and hand it to the clerk; one export at a time."""
    app = screen.app
    if any(worker.group == GROUP and not worker.is_finished for worker in app.workers):
        app.notify("正在导出上一份文件，请稍候", severity="warning", markup=False)
        return
    line = ExportProgress("正在导出 Excel 文件……")
    screen.mount(line)

    def work(db, actor) -> export.ExportResult:
        table = source(db, actor) if callable(source) else source
        result = export.export_xlsx(db, actor, table)
        try:
            deliver_bytes(app, result.data, result.filename, result.mime_type, f"{LABEL}：共 {result.rows} 行")
        except OSError as exc:  # the downloads folder is not writable, the disk is full …
            raise ServiceError(f"导出失败：{exc}") from exc
        return result

    def finished(result: export.ExportResult) -> None:
        line.remove()
        if done:
            done(result)

    def failed(error: ServiceError) -> None:
        line.remove()
        app.notify(error.message, severity="error", markup=False)

    calls.run(screen, work, done=finished, failed=failed, group=GROUP)
