"""Keys typed ahead reach the field they were typed for (issue 9, lost keys): over SSH a fast clerk's
'text Enter text Enter' arrives in one burst, and Textual posted every key of it to the field that had
the focus when the burst arrived: the whole burst ended in one field (维修部位 held
屋面重做防水层北京建工10000090000)."""

from screens.task_orders.form import TaskOrderFormScreen
from services.task_orders import drafts
from tests.pilot import burst, settle, wait_for
from tests.test_task_order_flow import open_order_home


async def test_a_burst_through_the_form_fills_each_field(make_demo_app, demo_db, actor_of):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("enter")  # the first community
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskOrderFormScreen)
        # 项目名称, 维修类别 (a ‹›choice: → picks the first), 维修部位, 维修内容, 是否应急维修, 施工单位, 预算, 支取金额
        await burst(pilot, "屋面防水维修\r", "<right>", "\r屋面\r重做防水层\r\r北京建工\r100000\rx", "<backspace>",
                    "90000\r")
        values = {key: screen.query_one(f"#{key}").value for key in
                  ("project_name", "repair_part", "repair_content", "contractor", "budget", "amount")}
        assert values == {"project_name": "屋面防水维修", "repair_part": "屋面", "repair_content": "重做防水层",
                          "contractor": "北京建工", "budget": "100000.00", "amount": "90000.00"}
        assert screen.query_one("#repair_category").value == "屋面防水"  # → in the choice, not the next field
        assert app.focused.id == "method"  # x⌫90000 is 90000: the ⌫ ran in order, not after the digits  # the Enter after 支取金额 moved on to 分摊方式
        order_id = screen.order_id
    clerk = actor_of("qyjb")
    saved = drafts.draft_state(demo_db, clerk, order_id).values  # each saved in its own field
    assert saved["project_name"] == "屋面防水维修" and saved["repair_part"] == "屋面"
    assert saved["contractor"] == "北京建工" and saved["amount"].replace(",", "").startswith("90000")
