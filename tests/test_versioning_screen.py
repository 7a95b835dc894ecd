"""B8 at the terminal: a field saved over another clerk's change says so and keeps their change."""

from models import TaskOrder
from services.task_orders import drafts
from tests.pilot import settle, text_of, type_text, wait_for
from tests.test_task_order_flow import SIZE, open_order_home


async def test_a_stale_form_says_so_and_keeps_the_other_clerks_save(make_demo_app, demo_db, actor_of):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("enter")  # the first community: a new draft and its form
        await settle(pilot)
        order_id = app.screen.order_id
        version = drafts.draft_state(demo_db, actor_of("qyadmin"), order_id).version
        drafts.save_field(demo_db, actor_of("qyadmin"), order_id, "project_name", "管理员先存",
                          expected_version=version)
        await type_text(pilot, "经办人后存")
        await pilot.press("enter")  # leaving the field saves it
        await settle(pilot)
        assert await wait_for(pilot, lambda: "该记录已被他人修改，请刷新后重试" in text_of(app, "#form-message"))
        await settle(pilot)
        assert text_of(app, "#project_name") == "管理员先存"  # the screen shows what is stored now
        with demo_db.read() as s:
            assert s.get(TaskOrder, order_id).project_name == "管理员先存"
        # after the refresh the clerk's next change is saved
        app.screen.query_one("#remark").focus()
        await type_text(pilot, "已核对")
        await pilot.press("tab")
        await settle(pilot)
        assert await wait_for(pilot, lambda: _remark(demo_db, order_id) == "已核对")


def _remark(db, order_id):
    with db.read() as s:
        return s.get(TaskOrder, order_id).remark
