"""The new-order flow (screens.task_orders.flow): where each step's result leads."""

from __future__ import annotations

from sqlalchemy import select

from models import TaskOrder
from screens.shell.home import HomeScreen
from screens.task_orders.community_select import CommunitySelectScreen
from screens.task_orders.confirm import TaskOrderConfirmScreen
from screens.task_orders.done import TaskOrderDoneScreen
from screens.task_orders.form import TaskOrderFormScreen
from screens.task_orders.home import TaskOrderHomeScreen
from services.demo.accounts import DEMO_PASSWORD
from tests.orders import ready_draft
from tests.pilot import login, settle

SIZE = (100, 36)


async def _to_the_draft(pilot):
    await login(pilot, "qyjb", DEMO_PASSWORD)
    await pilot.press("enter")  # 商品房维修支取申请: the draft is offered
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskOrderFormScreen)


async def test_end_page_home_key_leaves_the_task_order_area(make_demo_app, demo_db, actor_of):
    ready_draft(demo_db, actor_of("qyjb"), houses=4)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _to_the_draft(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderConfirmScreen)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderDoneScreen)
        assert [type(s) for s in app.screen_stack[-2:]] == [TaskOrderHomeScreen, TaskOrderDoneScreen]
        await pilot.press("f10")  # 返回首页
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, TaskOrderHomeScreen) for s in app.screen_stack)


async def test_discarding_at_the_confirmation_returns_to_the_order_home(make_demo_app, demo_db, actor_of):
    order_id, _ = ready_draft(demo_db, actor_of("qyjb"), houses=4)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _to_the_draft(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f8", "y")  # 撤销新建任务单, confirmed
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
        assert [type(s) for s in app.screen_stack].count(TaskOrderFormScreen) == 0
    with demo_db.read() as s:
        assert s.execute(select(TaskOrder.status).where(TaskOrder.id == order_id)).scalar_one() == "discarded"


async def test_back_from_a_new_form_returns_to_the_community_cards(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        cards = app.screen
        assert isinstance(cards, CommunitySelectScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderFormScreen)
        await pilot.press("f7")  # 上一步
        await settle(pilot)
        assert app.screen is cards
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderHomeScreen)
