"""A clerk creates a task order through every step with the keyboard alone."""

from sqlalchemy import func, select

from models import BusinessLog, Freeze, TaskOrder, TaskOrderLine
from screens.task_orders.community_select import CommunitySelectScreen
from screens.task_orders.house_grid import HouseGridScreen
from screens.task_orders.confirm import TaskOrderConfirmScreen
from screens.task_orders.done import TaskOrderDoneScreen
from screens.task_orders.form import TaskOrderFormScreen
from screens.task_orders.home import TaskOrderHomeScreen
from services.demo.accounts import DEMO_PASSWORD
from services.demo.dates import plan_dates
from tests.pilot import login, settle, text_of, type_text

SIZE = (100, 36)


async def open_order_home(pilot, username="qyjb"):
    await login(pilot, username, DEMO_PASSWORD)
    await pilot.press("enter")  # 商品房维修支取申请 is the first menu entry
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskOrderHomeScreen)


async def open_first_grid(pilot):
    """From the login to the house grid of the first building of the first community."""
    await open_order_home(pilot)
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    pilot.app.screen.query_one("#buildings").focus()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HouseGridScreen)


async def fill_form(pilot, amount="50000"):
    """Type the form top to bottom: Enter moves to the next field, ←/→ choose."""
    async def field(text):
        await type_text(pilot, text)
        await pilot.press("enter")

    async def choose(times=1):
        await pilot.press(*["right"] * times, "tab")

    await field("屋面防水维修")
    await choose()  # 维修类别: 屋面防水
    await field("屋面")
    await field("更换防水卷材")
    await choose(0)  # 是否应急维修: 否 (left as is)
    await field("")  # 施工单位
    await field("60000")
    await field(amount)
    await choose(0)  # 分摊方式: default 按建筑面积
    dates = plan_dates()
    await field(dates["plan_start"])
    await field(dates["plan_end"])
    await field("王芳")
    await field("13812345678")
    await settle(pilot)


async def test_create_and_submit_an_order_with_the_keyboard(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CommunitySelectScreen)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskOrderFormScreen)
        await fill_form(pilot)
        # Tick the first building and open its grid.
        form.query_one("#buildings").focus()
        await pilot.press("space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseGridScreen)
        await pilot.press("r")  # the whole top floor
        await pilot.press("f2")  # 批量保存房屋
        await settle(pilot)
        assert "已保存" in text_of(app, "#grid-message")
        saved = len(app.screen.saved)
        assert saved > 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        await pilot.press("f4", "f5")
        await settle(pilot)
        assert form.query_one("#total_households").value == str(saved)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderConfirmScreen), text_of(app, "#form-message")
        await pilot.press("f9", "f9")  # a double press
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderDoneScreen)
        number = app.screen.result.application_no
        assert number in text_of(app, "#done-facts")
        await pilot.press("f2")  # 再来一笔
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
    with demo_db.read() as s:
        order = s.execute(select(TaskOrder).where(TaskOrder.application_no == number)).scalar_one()
        assert order.status == "submitted" and order.project_name == "屋面防水维修"
        assert order.repair_category == "屋面防水" and order.amount_fen == 5_000_000
        assert s.execute(select(func.count()).select_from(TaskOrderLine)
                         .where(TaskOrderLine.task_order_id == order.id)).scalar_one() == saved
        assert s.execute(select(func.sum(TaskOrderLine.share))
                         .where(TaskOrderLine.task_order_id == order.id)).scalar_one() == 5_000_000
        assert s.execute(select(func.count()).select_from(Freeze).where(Freeze.task_order_id == order.id)
                         ).scalar_one() > 0
        assert s.execute(select(func.count()).select_from(TaskOrder).where(TaskOrder.status == "submitted")
                         ).scalar_one() == 1
        assert s.execute(select(BusinessLog.business_type).where(BusinessLog.application_no == number)
                         ).scalar_one() == "维修支取申请"


async def test_house_card_saves_and_removes_one_house(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_grid(pilot)
        grid_screen = app.screen
        assert isinstance(grid_screen, HouseGridScreen)
        await pilot.press("enter")  # 房屋卡片
        await settle(pilot)
        card = grid_screen.query_one("#card")
        assert card.is_open and "可用余额" in str(card.render())
        await pilot.press("f2")  # 保存房屋
        await settle(pilot)
        assert len(grid_screen.saved) == 1 and card.data.saved
        await pilot.press("f3")  # 取消
        await settle(pilot)
        assert grid_screen.saved == set() and not card.data.saved
        await pilot.press("escape")  # 关闭
        await settle(pilot)
        assert not card.is_open and isinstance(app.screen, HouseGridScreen)
        assert "已勾选 0 户" in text_of(app, "#tick-count")


async def test_grid_batch_save_and_batch_cancel(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_grid(pilot)
        screen = app.screen
        await pilot.press("c", "f2")  # the whole first unit
        await settle(pilot)
        unit = len(screen.saved)
        assert unit > 0 and text_of(app, "#grid-message") == f"已保存 {unit} 户"
        await pilot.press("s", "f3")  # one room position on every floor: 批量取消
        await settle(pilot)
        assert 0 < len(screen.saved) < unit
        assert text_of(app, "#grid-message") == f"已取消 {unit - len(screen.saved)} 户"
        await pilot.press("f3")  # nothing ticked any more
        await settle(pilot)
        assert text_of(app, "#grid-message") == "请先勾选房屋"


async def test_ledger_opens_from_the_house_card(make_demo_app):
    from screens.common.ledger import LedgerScreen

    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_grid(pilot)
        await pilot.press("enter")  # 房屋卡片
        await settle(pilot)
        house_id = app.screen.query_one("#card").data.house_id
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen) and app.screen.house_id == house_id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseGridScreen)
