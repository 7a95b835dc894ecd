"""Without colour (NO_COLOR, or a monochrome terminal such as a vt100) the cursor of every list and the
focused choice are still marked: reverse video or an underline, never colour alone."""

from textual.strip import Strip
from textual.widgets import DataTable

from screens.task_orders.form import TaskOrderFormScreen
from services.demo.accounts import DEMO_PASSWORD
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft
from tests.pilot import login, settle
from tui.startup import mark_monochrome

SIZE = (80, 24)


def marked_rows(app, widget) -> list[int]:
    """The lines of `widget`'s content (not its border) drawn with reverse video or an underline."""
    update = app.screen._compositor.render_full_update()
    region = widget.content_region
    rows = []
    for y in range(region.y, region.bottom):
        line = Strip.join(update.strips[y]).crop(region.x, region.right)
        if any(seg.style is not None and (seg.style.reverse or seg.style.underline) and seg.text.strip()
               for seg in line):
            rows.append(y - region.y)
    return rows


def test_a_monochrome_terminal_gets_no_color():
    for term, colours, expected in (("vt100", None, "1"), ("vt220", 256, "1"), ("xterm-256color", 256, None),
                                    ("wy-odd", -1, "1"), ("screen", 8, None), ("unknown-one", None, None),
                                    ("", -1, None), ("dumb", -1, None)):
        env = {"TERM": term}
        mark_monochrome(env, colours=lambda _term, n=colours: n)
        assert env.get("NO_COLOR") == expected, term
    env = {"TERM": "vt100", "NO_COLOR": ""}  # set by the clerk: kept as it is
    mark_monochrome(env)
    assert env["NO_COLOR"] == ""


async def test_without_colour_the_cursor_is_marked(make_demo_app, demo_db, actor_of, monkeypatch):
    qyjb = actor_of("qyjb")
    for _ in range(2):
        order_id, buildings = ready_draft(demo_db, qyjb, houses=3)
        task_order_submit.submit(demo_db, qyjb, order_id, buildings)
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await login(pilot, "qyjb", DEMO_PASSWORD)
        menu = app.screen.query_one("#menu")
        await pilot.press("down")
        await settle(pilot)
        assert marked_rows(app, menu) == [1]  # the Home menu's second entry, and only it

        await pilot.press("up", "enter")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count > 1
        await pilot.press("down")
        await settle(pilot)
        assert marked_rows(app, table) == [2]  # under the header: the second order

        await pilot.press("f2")  # 新建任务单: the first community, then its buildings
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderFormScreen)
        buildings = app.screen.query_one("#buildings")
        buildings.focus()
        await pilot.press("down")
        await settle(pilot)
        assert buildings.highlighted == 1
        assert marked_rows(app, buildings) == [1]
