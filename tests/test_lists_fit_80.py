"""The order lists and the review queues at 80×24: no column beyond the edge, every header and every
fixed-format value (numbers, amounts, deadlines, times) whole, free text whole or cut with …; and every
screen opaque, so that the screen beneath never shows through."""

from datetime import datetime

from rich.cells import cell_len
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import DataTable

from screens.review.associations import AssociationQueueScreen
from screens.review.task_orders import ReviewQueueScreen
from screens.review.unit_applications import UnitReviewQueueScreen
from screens.shell.home import HomeScreen
from services.demo.accounts import DEMO_PASSWORD
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft
from tests.pilot import login, settle
from tests.test_task_order_flow import open_order_home

SIZE = (80, 24)


def screen_lines(app) -> list[str]:
    update = app.screen._compositor.render_full_update()
    return ["".join(seg.text for seg in strip) for strip in update.strips]


def assert_fits(app) -> None:
    table = app.screen.query_one(DataTable)
    assert table.virtual_size.width <= table.scrollable_content_region.width, "wider than the screen"
    assert app.screen.styles.background.a == 1, "the screen beneath shows through"
    lines = screen_lines(app)
    top = table.region.y
    header = lines[top]
    for column in table.ordered_columns:
        assert column.label.plain in header, (column.label.plain, header)
    for index in range(table.row_count):
        line = lines[top + 1 + index]
        for column, cell in zip(table.ordered_columns, table.get_row_at(index)):
            text = cell.plain
            if column.auto_width or cell_len(text) < column.width:
                assert text in line, (column.label.plain, text, line)
            else:  # a free-text column given a width: its start, then …
                shown = next(part for part in line.split(" ") if part.endswith("…") and text.startswith(part[:1]))
                assert text.startswith(shown[:-1]), (text, line)
    assert table.row_count == 0 or table.region.height > table.row_count + 1, "the table does not fill"


def submit_order(db, actor, **form) -> None:
    order_id, buildings = ready_draft(db, actor, houses=5, **form)
    task_order_submit.submit(db, actor, order_id, buildings)


def test_short_time_drops_the_current_year_only():
    from tui.text import short_time

    now = datetime(2026, 12, 1, 9, 0)
    assert short_time("2026-12-01 10:20:30", now) == "12-01 10:20"
    assert short_time("2025-12-31 23:59", now) == "2025-12-31"
    assert short_time("", now) == "" and short_time("待定", now) == "待定"


def test_no_screen_or_widget_hides_its_bases_from_css():
    """Textual reads a class's CSS type names along its first DOMNode base: a DOMNode mixin put first
    (Exportable was one) cut `Screen` and the real base out, with their DEFAULT_CSS and background."""
    import importlib
    import pkgutil

    import screens
    import tui

    for package in (screens, tui):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    for cls in set(every(Widget)):
        if cls.__module__.startswith(("screens.", "tui.")):
            hidden = [base.__name__ for base in cls.__mro__
                      if issubclass(base, DOMNode) and base.__name__ not in cls._css_type_names]
            assert not hidden, (cls, hidden)


async def test_the_order_lists_fit_80_columns(make_demo_app, demo_db, actor_of):
    submit_order(demo_db, actor_of("qyjb"), project_name="3号楼外墙及屋面防水综合维修工程")
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        assert app.screen.query_one(DataTable).row_count
        assert_fits(app)
        await pilot.press("f6")  # 审批退回及撤销任务单信息
        await settle(pilot)
        assert_fits(app)


async def test_the_review_queues_fit_80_columns(make_demo_app, demo_db, actor_of):
    submit_order(demo_db, actor_of("qyjb"), project_name="3号楼外墙及屋面防水综合维修工程")
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "shenhe", DEMO_PASSWORD)
        menu = app.screen.query_one("#menu")
        for entry, screen in (("review", ReviewQueueScreen), ("unit_review", UnitReviewQueueScreen),
                              ("association_review", AssociationQueueScreen)):
            menu.highlighted = next(i for i in range(menu.option_count) if menu.get_option_at_index(i).id == entry)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, screen)
            if screen is ReviewQueueScreen:
                assert app.screen.query_one(DataTable).row_count
            assert_fits(app)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


async def test_the_lines_of_an_order_fit_80_columns(make_demo_app, demo_db, actor_of):
    from tui.lines_view import LinesView

    submit_order(demo_db, actor_of("qyjb"))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f4")  # 到户支取详细信息
        await settle(pilot)
        view = app.screen.query_one(LinesView)
        assert view.virtual_size.width <= view.scrollable_content_region.width
        lines = screen_lines(app)
        header = lines[view.region.y]
        assert all(label in header for label, _ in view.columns), header
        first = view.get_row_at(0)
        assert first[0] in lines[view.region.y + 1]  # the house in full
