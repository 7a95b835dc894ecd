"""A step in a list or the Home menu re-sends a row's leading cells: the row cursor colours a table's key
columns only, the menu highlight an entry's label only; the rest of the row keeps the plain look."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui.menu import MenuList
from tui.table import Table


def _backgrounds(strip) -> list:
    """The background of every cell of a rendered line."""
    cells = []
    for segment in strip:
        cells.extend([segment.style.bgcolor if segment.style else None] * cell_len(segment.text))
    return cells


class Lists(App):
    def compose(self) -> ComposeResult:
        yield MenuList(("orders", "商品房维修支取申请", "新建、查看"), ("log", "业务流水查询", "按时间段查询"), id="menu")
        yield Table(id="table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(Table)
        table.add_columns("选", "申请编号", "小区", "项目名称")
        table.add_row("", "WX20261201000014", "望京华府", "1号楼供暖维修")
        table.add_row("", "WX20261201000011", "泰和名邸", "2号楼电梯维修")


async def test_the_row_cursor_colours_the_key_columns_and_moves_with_the_cursor():
    app = Lists()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(Table)
        table.focus()
        await pilot.pause()
        key_width = sum(column.get_render_width(table) for column in table.ordered_columns[:2])
        for cursor_row in (0, 1):
            table.move_cursor(row=cursor_row)
            await pilot.pause()
            cursor, plain = _backgrounds(table.render_line(1 + cursor_row)), _backgrounds(table.render_line(2 - cursor_row))
            assert len(set(cursor[:key_width])) == 1 and cursor[0] != plain[0]  # the key columns stand out
            assert cursor[key_width:] == plain[key_width:]  # the rest looks like any row
        assert table.get_row_at(table.cursor_row)[1] == "WX20261201000011"


async def test_the_menu_highlight_colours_the_label_only():
    app = Lists()
    async with app.run_test(size=(80, 24)) as pilot:
        menu = app.query_one(MenuList)
        menu.focus()
        for highlighted, label in ((0, "商品房维修支取申请"), (1, "业务流水查询")):
            menu.highlighted = highlighted
            await pilot.pause()
            shown, other = _backgrounds(menu.render_line(highlighted)), _backgrounds(menu.render_line(1 - highlighted))
            label_end = cell_len(label) + menu.get_component_styles("option-list--option").padding.left
            assert shown[0] != other[0] and len(set(shown[:label_end])) == 1
            assert len(set(shown[label_end:])) == 1 and shown[-1] == other[-1]
        assert menu.highlighted_option.id == "log"
