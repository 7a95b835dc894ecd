"""Read at 80×24 without colour: whole labels and messages, ticks that read as ticks, red * marks (issue 9, F20/F21)."""

from rich.text import Text

from screens.identity.login import LoginScreen
from screens.task_orders.form import TaskOrderFormScreen
from tests.pilot import settle, type_text
from tests.test_task_order_flow import open_order_home
from tui.text import required_label


def screen_text(app) -> str:
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(seg.text for seg in strip) for strip in update.strips)


async def _form(pilot) -> TaskOrderFormScreen:
    await open_order_home(pilot)
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskOrderFormScreen)
    return pilot.app.screen


async def test_labels_are_whole_and_ticks_read_without_colour(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _form(pilot)
        shown = screen_text(app)
        assert "*申请支取金额(元)" in shown and "*分摊标准(元/㎡)" in shown
        form.query_one("#buildings").focus()
        await pilot.press("space")
        lines = [line for line in screen_text(app).splitlines() if "号楼" in line]
        assert "✓" in lines[0] and "✓" not in lines[1]
        assert "2026-12-01" not in shown  # no grey date that passes for a value


def test_required_marks_are_red():
    label = required_label("项目名称", True)
    assert isinstance(label, Text) and label.plain == "*项目名称"
    assert any("red" in str(span.style) and label.plain[span.start:span.end] == "*" for span in label.spans)
    assert required_label("备注", False).plain == " 备注"


async def test_a_long_field_message_is_read_in_full_at_80_columns(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await type_text(pilot, "qyjb")
        await pilot.press("enter")
        await type_text(pilot, "Demo@2026")
        await pilot.press("enter")
        await type_text(pilot, "ZZZZ")
        await pilot.press("enter")
        await settle(pilot)
        joined = "".join(line.strip() for line in screen_text(app).splitlines())
        assert "验证码错误，请重新输入" in joined


def test_amounts_read_one_way_everywhere(demo_db, actor_of):
    from screens.task_orders.confirm import summary_text
    from screens.task_orders.home import describe
    from services.task_orders import queries, submit
    from tests.orders import ready_draft

    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=3, budget="150000", amount="148000.5")
    text = summary_text(submit.preview(demo_db, clerk, order_id, buildings))
    assert "预算 150,000.00 元" in text and "申请支取 148,000.50 元" in text and "150000.00" not in text
    submit.submit(demo_db, clerk, order_id, buildings)
    shown = describe(queries.order_detail(demo_db, clerk, order_id))
    assert "150,000.00" in shown and "148,000.50" in shown and "150000.00" not in shown
