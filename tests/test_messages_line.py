"""F20: messages are read in full where they cover nothing: at 80×24 a long Chinese message wraps on the
message line above the footer, and no field, table row or key of the footer lies under it (Textual's
toasts covered the last fields and rows and cut long text)."""

from textual.widgets import DataTable, Input

from screens.task_orders.form import TaskOrderFormScreen
from screens.task_orders.home import TaskOrderHomeScreen
from tests.pilot import settle, wait_for
from tests.test_task_order_flow import open_order_home
from tui.messages import MessageLine
from tui.widgets import LeanFooter

LONG = ("该任务单已被其他经办人撤销，无法继续提交。请返回商品房维修支取申请列表刷新后重新选择任务单，"
        "如需帮助请联系所在区的维修资金管理部，咨询电话以管理部公布为准。")


def _line(app) -> MessageLine:
    return app.screen.query_one(MessageLine)


def _shown_text(widget) -> str:
    """What the widget's rows show on the terminal, joined (each row as drawn, padding stripped)."""
    return "".join(strip.text.strip() for strip in widget.render_lines(widget.region.reset_offset))


def _covers_nothing(app) -> None:
    line = _line(app).region
    assert line.height >= 2 and line.bottom <= app.size.height
    others = [w for w in app.screen.query("*") if isinstance(w, (Input, DataTable, LeanFooter)) and w.display]
    assert others
    for widget in others:
        if widget.region.area:
            assert not widget.region.overlaps(line), (widget, widget.region, line)


async def test_a_long_message_wraps_in_full_over_no_field(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")  # 新建任务单: the community choice, then the form
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderFormScreen)
        app.notify(LONG, title="提示", severity="error")
        await settle(pilot)
        assert _shown_text(_line(app)) == f"提示：{LONG}"  # every character, wrapped at CJK width
        _covers_nothing(app)
        assert not app.screen.query("Toast")


async def test_the_message_follows_to_the_next_screen_and_covers_no_row(make_demo_app, demo_db, actor_of):
    from services.task_orders import submit
    from tests.orders import ready_draft

    clerk = actor_of("qyjb")
    for i in range(3):
        order_id, buildings = ready_draft(demo_db, clerk, community_index=i, houses=3)
        submit.submit(demo_db, clerk, order_id, buildings)
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order_home(pilot)
        await pilot.press("f3")  # 查看: a popup over the list
        await settle(pilot)
        app.notify(LONG)
        await pilot.press("enter")  # 我知道了: back to the list, the message with it
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
        assert await wait_for(pilot, lambda: _line(app).display)
        assert _shown_text(_line(app)) == LONG
        _covers_nothing(app)
        table = app.screen.query_one("#orders", DataTable)
        assert table.region.bottom <= _line(app).region.y


async def test_messages_are_literal_and_safe_from_a_worker_thread(make_demo_app):
    import asyncio

    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await asyncio.to_thread(app.notify, "[bold]屋面[/]维修\x1b[2J", severity="warning")
        await settle(pilot)
        assert await wait_for(pilot, lambda: bool(app.screen.query(MessageLine)) and _line(app).display)
        assert _shown_text(_line(app)) == "[bold]屋面[/]维修[2J"  # markup literal, the ESC dropped
        assert app.messages[-1].severity == "warning"
