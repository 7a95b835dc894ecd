"""Big lists: only visible lines are drawn; keys move through 20,000 lines at once (issue 9, F22/F23)."""

import time

from textual.app import App, ComposeResult

from bench.lines_figures import confirmation
from screens.task_orders.lines import LINE_COLUMNS, line_cells
from tui.lines_view import SAMPLE, LinesView
from tui.table import Table


class ViewApp(App):
    def __init__(self, items, cells) -> None:
        super().__init__()
        self.items, self.cells = items, cells

    def compose(self) -> ComposeResult:
        yield LinesView(LINE_COLUMNS, self.items, self.cells)


def _rendered(view: LinesView) -> list[str]:
    return ["".join(seg.text for seg in view.render_line(y)) for y in range(view.size.height)]


async def test_twenty_thousand_lines_format_only_what_is_measured_and_shown():
    lines = confirmation(20_000).lines
    formatted = []

    def cells(line):
        formatted.append(line.house_id)
        return line_cells(line)

    app = ViewApp(lines, cells)
    started = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LinesView)
        view.focus()
        await pilot.pause()
        assert time.perf_counter() - started < 5  # DataTable took ~3 s on the UI thread alone
        assert view.row_count == 20_000
        assert len(set(formatted)) <= 2 * SAMPLE + 30
        shown = _rendered(view)
        assert shown[0].startswith("房屋") and "扣划(元)" in shown[0] and "欠款(元)" in shown[0]  # at 80 columns
        assert max(len(line) for line in shown) <= 80
        await pilot.press("end")
        assert view.cursor_row == 19_999 and "业主19999" in "".join(_rendered(view))
        await pilot.press("home")
        assert view.cursor_row == 0 and "业主00000" in _rendered(view)[1]
        await pilot.press("pagedown")
        assert view.cursor_row == view.size.height - 1
        await pilot.press("down", "up", "up")
        assert view.cursor_row == view.size.height - 2


async def test_cells_are_literal():
    class Row:
        def __init__(self, text):
            self.text = text

    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        view = LinesView((("名称", "l"),), [Row("[bold]x[/]\x1b[2J")], lambda r: (r.text,))
        await app.mount(view)
        await pilot.pause()
        assert "[bold]x[/]␛[2J" in _rendered(view)[1]


async def test_home_and_end_move_the_cursor_in_tables():
    class TableApp(App):
        def compose(self) -> ComposeResult:
            table = Table(cursor_type="row")
            table.add_columns("序号")
            table.add_rows([(str(i),) for i in range(100)])
            yield table

    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(Table)
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == 99
        await pilot.press("home")
        assert table.cursor_row == 0
