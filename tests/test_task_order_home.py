from sqlalchemy import func, select

from models import FundAccount, TaskOrder
from screens.task_orders.community_select import CommunitySelectScreen
from screens.task_orders.form import TaskOrderFormScreen
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft
from tests.pilot import settle, text_of, type_text
from tests.test_task_order_flow import SIZE, open_order_home


def _submitted(demo_db, actor, n):
    numbers = []
    for i in range(n):
        order_id, buildings = ready_draft(demo_db, actor, community_index=i, houses=5)
        numbers.append(task_order_submit.submit(demo_db, actor, order_id, buildings).application_no)
    return numbers


async def test_view_lines_and_withdraw_selected_orders(make_demo_app, demo_db, actor_of):
    numbers = _submitted(demo_db, actor_of("qyjb"), 2)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        table = app.screen.query_one("#orders")
        assert table.row_count == 2
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "NoticeDialog"
        assert "申请编号" in app.screen.body and "屋面防水" in app.screen.body
        await pilot.press("enter")  # 我知道了
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "LinesDialog"
        assert app.screen.query_one("LinesView").row_count == 5
        assert "合计 5 户" in text_of(app, "#totals")
        await pilot.press("escape")
        await pilot.press("space", "down", "space", "f8")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmDialog"
        await pilot.press("n")  # 取消: nothing happens
        await settle(pilot)
        with demo_db.read() as s:
            assert s.execute(select(func.count()).select_from(TaskOrder).where(TaskOrder.status == "submitted")
                             ).scalar_one() == 2
        await pilot.press("f8", "y")
        await settle(pilot)
        assert app.screen.query_one("#orders").row_count == 2
        assert "已撤销" in str(app.screen.query_one("#orders").get_row_at(0))
    with demo_db.read() as s:
        statuses = s.execute(select(TaskOrder.status).where(TaskOrder.application_no.in_(numbers))).scalars().all()
        assert statuses == ["withdrawn", "withdrawn"]
        assert s.execute(select(func.sum(FundAccount.frozen))).scalar_one() == 0


async def test_only_orders_awaiting_review_can_be_marked(make_demo_app, demo_db, actor_of):
    numbers = _submitted(demo_db, actor_of("qyjb"), 1)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f8")
        assert text_of(app, "#home-message") == "请先用空格键选中待审核的任务单"
        await pilot.press("f6")
        await settle(pilot)
        assert app.screen.query_one("#orders").row_count == 0
        assert numbers


async def test_office_user_sees_only_its_community(make_demo_app, demo_db, actor_of):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot, "xqjb")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CommunitySelectScreen)
        assert app.screen.query_one("#cards").option_count == 1


async def test_typing_filters_the_community_cards(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        first = screen.cards[1].name
        await type_text(pilot, first)
        assert screen.query_one("#cards").option_count == 1
        await type_text(pilot, "不存在")
        assert screen.query_one("#cards").option_count == 0
        assert text_of(app, "#select-message") == "没有名称包含该文字的小区"


async def test_bad_fields_are_reported_at_the_field(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskOrderFormScreen)
        await pilot.press("f9")  # 前往确认界面 with an empty form
        await settle(pilot)
        assert text_of(app, "#form-message") == "请填写项目名称"
        assert form.focused.id == "project_name" and form.query_one("#project_name").has_class("-bad")
        form.query_one("#budget").focus()
        await type_text(pilot, "1000")
        await pilot.press("enter")
        await type_text(pilot, "2000")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#form-message") == "申请支取金额不能超过预算金额"
        # The message stays and the field is marked, but focus is not pulled back (issue 9, F18).
        assert form.focused.id == "method" and form.query_one("#amount").has_class("-bad")
        form.query_one("#contact_phone").focus()
        await type_text(pilot, "12345")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#form-message") == "联系电话须为11位手机号或固定电话（如 010-12345678）"
        assert form.focused.id == "total_households" and form.query_one("#contact_phone").has_class("-bad")


async def test_the_demo_order_book_is_shown_and_its_draft_offered(make_app, tmp_path):
    from models.db import Database
    from services.demo.build import build_demo
    from tests.pilot import login
    from services.demo.accounts import DEMO_PASSWORD
    from tui.app import WxzjApp
    from tui.config import Config

    url = f"sqlite:///{tmp_path / 'full.db'}"
    summary = build_demo(url, "beijing", houses=1500)
    assert summary.orders["草稿"] == 3 and summary.orders["待审核"] >= 3 and summary.orders["已撤销"] >= 3
    app = WxzjApp(Config(database_url=url), database=Database(url))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DraftsDialog"
        await pilot.press("escape")
        assert app.screen.query_one("#orders").row_count >= 3  # awaiting review, withdrawn, approved


async def test_print_keys_deliver_the_documents(make_demo_app, demo_db, actor_of, tmp_path, monkeypatch):
    from tests.pdf_text import pdf_pages
    from tests.pilot import wait_for

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    downloads = tmp_path / "home" / "Downloads"
    number = _submitted(demo_db, actor_of("qyjb"), 1)[0]
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("f7")  # 打印任务单
        await settle(pilot)
        assert await wait_for(pilot, lambda: downloads.exists() and any(downloads.glob("*.pdf")))
        await pilot.press("f9")  # 打印到户明细业主签字表
        await settle(pilot)
        assert await wait_for(pilot, lambda: len(list(downloads.glob("*.pdf"))) == 2)
    texts = ["\n".join(pdf_pages(path.read_bytes())) for path in sorted(downloads.glob("*.pdf"))]
    assert all(number in text for text in texts)
    assert any("维修支取任务单" in t for t in texts) and any("业主签字确认表" in t for t in texts)


async def test_consent_key_opens_the_owners_vote_for_the_order(make_demo_app, demo_db, actor_of):
    from screens.task_orders.consent import ConsentScreen

    _submitted(demo_db, actor_of("qyjb"), 1)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        order_id = app.screen.rows[next(iter(app.screen.rows))].order_id
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen) and app.screen.order_id == order_id
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f6", "c")  # not on the second tab
        await settle(pilot)
        assert not isinstance(app.screen, ConsentScreen)
