"""The reviewer and the enterprise at the keyboard: review queue, decisions, the account screen, consent."""

from sqlalchemy import func, select

from models import BusinessLog, Freeze, FundAccount, OwnerConsent, TaskOrder, TaskOrderLine
from screens.task_orders.consent import ConsentScreen
from screens.common.dialogs import ConfirmDialog
from screens.common.ledger import LedgerScreen
from screens.common.reason import ReasonDialog
from screens.review.task_orders import ReviewOrderScreen, ReviewQueueScreen
from screens.task_orders.confirm import TaskOrderConfirmScreen
from screens.task_orders.done import TaskOrderDoneScreen
from screens.task_orders.form import TaskOrderFormScreen
from services.review import consent
from services.review import task_orders as review
from services.task_orders import submit as task_order_submit
from services.demo.accounts import DEMO_PASSWORD
from tests.orders import ready_draft
from tests.pilot import login, settle, text_of, type_text

SIZE = (100, 32)


def submitted_order(db, actor, *, agree: bool = False, **form) -> int:
    order_id, buildings = ready_draft(db, actor, houses=12, **form)
    task_order_submit.submit(db, actor, order_id, buildings)
    if agree:
        _, lines, _ = consent.consent_sheet(db, actor, order_id)
        consent.record_consent(db, actor, order_id, {x.house_id: "agree" for x in lines})
    return order_id


def accounts(db, order_id):
    with db.read() as s:
        return dict(s.execute(select(FundAccount.id, FundAccount.balance)
                              .join(TaskOrderLine, TaskOrderLine.house_id == FundAccount.house_id)
                              .where(TaskOrderLine.task_order_id == order_id)).all())


def order_of(db, order_id) -> TaskOrder:
    with db.read() as s:
        return s.get(TaskOrder, order_id)


async def open_review(pilot) -> None:
    await login(pilot, "shenhe", DEMO_PASSWORD)
    menu = pilot.app.screen.query_one("#menu")
    assert menu.get_option_at_index(0).id == "review"
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewQueueScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewOrderScreen)


async def test_reviewer_approves_and_only_then_balances_move(make_demo_app, demo_db, actor_of):
    qyjb = actor_of("qyjb")
    order_id = submitted_order(demo_db, qyjb, agree=True)
    before = accounts(demo_db, order_id)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "shenhe", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        queue = app.screen
        number = order_of(demo_db, order_id).application_no
        assert queue.query_one("#queue").get_row_at(0)[0] == number
        assert text_of(app, "#queue-info").startswith("待审核 1 张（超期 0 张）")
        await pilot.press("enter")
        await settle(pilot)
        assert number in text_of(app, "#order-title") and "第二百七十八条）：通过" in text_of(app, "#consent")
        assert app.screen.query_one("#lines").row_count == 12
        await pilot.press("f7")  # the account of the line under the cursor
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert "冻结中" in app.screen.query_one("#freezes").get_row_at(0)
        await pilot.press("escape")
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert accounts(demo_db, order_id) == before and order_of(demo_db, order_id).status == "submitted"
        await pilot.press("f2", "y")
        await settle(pilot)
        assert app.screen is queue and queue.query_one("#queue").row_count == 0
    assert order_of(demo_db, order_id).status == "approved"
    after = accounts(demo_db, order_id)
    with demo_db.read() as s:
        deducted = dict(s.execute(select(FundAccount.id, TaskOrderLine.deducted)
                                  .join(TaskOrderLine, TaskOrderLine.house_id == FundAccount.house_id)
                                  .where(TaskOrderLine.task_order_id == order_id)).all())
    assert after == {a: b - deducted[a] for a, b in before.items()}


async def test_reviewer_returns_with_a_reason(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    before = accounts(demo_db, order_id)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("f3")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")
        assert text_of(app, "#reason-error") == "请填写原因"
        await type_text(pilot, "缺少业主签字确认表")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReviewQueueScreen)
    order = order_of(demo_db, order_id)
    assert (order.status, order.reason) == ("returned", "缺少业主签字确认表")
    assert accounts(demo_db, order_id) == before
    with demo_db.read() as s:
        assert s.execute(select(func.count()).where(Freeze.task_order_id == order_id,
                                                    Freeze.status == "active")).scalar_one() == 0


async def test_reviewer_cancels_after_thinking_twice(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("f4")
        await pilot.press("escape")  # no reason given: nothing happens
        assert isinstance(app.screen, ReviewOrderScreen)
        await pilot.press("f4")
        await type_text(pilot, "项目在保修期内")
        await pilot.press("enter", "n")
        await settle(pilot)
        assert order_of(demo_db, order_id).status == "submitted"
        await pilot.press("f4")
        await type_text(pilot, "项目在保修期内")
        await pilot.press("enter", "y")
        await settle(pilot)
    order = order_of(demo_db, order_id)
    assert (order.status, order.reason) == ("cancelled", "项目在保修期内")


async def test_approving_a_failed_vote_asks_again_and_is_logged(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        assert "未通过" in text_of(app, "#consent")
        await pilot.press("f2", "y")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog) and "业主表决未达法定比例" in str(app.screen.question)
        await type_text(pilot, "业主已书面补充同意")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog) and "确定仍要审核通过吗" in str(app.screen.question)
        await pilot.press("n")
        await settle(pilot)
        assert order_of(demo_db, order_id).status == "submitted"
        await pilot.press("f2", "y")
        await settle(pilot)
        await type_text(pilot, "业主已书面补充同意")
        await pilot.press("enter", "y")
        await settle(pilot)
    order = order_of(demo_db, order_id)
    assert order.status == "approved"
    with demo_db.read() as s:
        summary = s.execute(select(BusinessLog.summary).where(BusinessLog.application_no == order.application_no)
                            .order_by(BusinessLog.id.desc()).limit(1)).scalar_one()
    assert "经审核员确认后审核通过" in summary


async def test_enterprise_records_consent_by_keys(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        app.push_screen(ConsentScreen(order_id))
        await settle(pilot)
        table = app.screen.query_one("#consent-lines")
        assert table.row_count == 12 and "已录入 0/12 户" in text_of(app, "#tally")
        await pilot.press("1", "1", "2", "3")
        await settle(pilot)
        assert table.cursor_row == 4 and "未通过" in text_of(app, "#tally")
        for _ in range(8):
            await pilot.press("1")
        await settle(pilot)
        assert "第二百七十八条）：通过" in text_of(app, "#tally")
        assert "已录入 12/12 户" in text_of(app, "#tally")
        shown = {key.value: table.get_row(key)[-1] for key in table.rows}
    with demo_db.read() as s:
        stored = dict(s.execute(select(OwnerConsent.house_id, OwnerConsent.choice)
                                .where(OwnerConsent.task_order_id == order_id)).all())
    assert shown == {str(h): consent.CHOICE_LABELS[c] for h, c in stored.items()}
    assert list(stored.values()).count("agree") >= 9


async def test_consent_screen_refuses_another_organisations_order(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "duoshenfen", DEMO_PASSWORD)
        await pilot.press("enter")  # identity choice: the first
        await settle(pilot)
        app.push_screen(ConsentScreen(order_id))
        await settle(pilot)
        assert text_of(app, "#consent-message") == "任务单不存在或不属于本单位"
        await pilot.press("1")
        await settle(pilot)
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(OwnerConsent)).scalar_one() == 0


async def test_ledger_screen_from_the_enterprise_side(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    with demo_db.read() as s:
        house = s.execute(select(TaskOrderLine.house_id).where(TaskOrderLine.task_order_id == order_id,
                                                               TaskOrderLine.deducted > 0).limit(1)).scalar_one()
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        app.push_screen(LedgerScreen(house))
        await settle(pilot)
        account = text_of(app, "#account")
        assert "可用余额" in account and "冻结 0.00 元" not in account
        entries = app.screen.query_one("#entries")
        assert entries.row_count >= 1 and entries.get_row_at(0)[1] in ("交存", "结息", "支取")
        assert app.screen.query_one("#freezes").get_row_at(0)[3] == "冻结中"
        await pilot.press("escape")
        assert not isinstance(app.screen, LedgerScreen)


async def test_enterprise_modifies_a_returned_order_and_resubmits(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"), remark="初次申请")
    review.return_order(demo_db, actor_of("shenhe"), order_id, "请附施工单位报价")
    old = order_of(demo_db, order_id)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        home = app.screen
        await pilot.press("m")  # 修改 belongs to the second tab: here the key does nothing
        await settle(pilot)
        assert app.screen is home
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one("#orders")
        assert table.get_row_at(0)[1] == old.application_no and "请附施工单位报价" in table.get_row_at(0)
        await pilot.press("m")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskOrderFormScreen)
        assert form.query_one("#project_name").value == old.project_name
        assert form.query_one("#remark").value == "初次申请"
        assert form.query_one("#buildings").selected  # the building with the copied houses comes ticked
        await pilot.press("f4", "f5", "f9")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderConfirmScreen), text_of(app, "#form-message")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, TaskOrderDoneScreen)
        number = app.screen.result.application_no
    assert number != old.application_no
    with demo_db.read() as s:
        new = s.execute(select(TaskOrder).where(TaskOrder.application_no == number)).scalar_one()
        assert (new.status, new.replaces_id, new.amount_fen) == ("submitted", order_id, old.amount_fen)
        assert s.execute(select(func.count()).where(TaskOrderLine.task_order_id == new.id)).scalar_one() == 12
    assert order_of(demo_db, order_id).model_dump() == old.model_dump()
