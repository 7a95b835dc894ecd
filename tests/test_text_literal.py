"""Text users typed is shown literally on every screen that shows it (issue 9, A1).

Markup, `[/]`, `[link=…]`, ESC sequences, NUL, lone surrogates and 500-character text go into every
free-text field (through the services where they accept it, straight into the rows where the
services now refuse it, as older or imported data may hold it), and each screen is opened.
"""

from sqlalchemy import select, update

from models import Organisation, Owner, TaskOrder, TaskOrderLine, House, User
from screens.records.business_log import BusinessLogScreen
from screens.review.task_orders import ReviewOrderScreen, ReviewQueueScreen
from screens.task_orders.consent import ConsentScreen
from services.demo.accounts import DEMO_PASSWORD
from services.review import task_orders as review
from tests.pilot import login, settle
from tests.test_review_screens import submitted_order
from tests.test_task_order_flow import open_order_home
from tui.table import Cell, Table, _cell
from tui.text import clean, visible

MARKUP = {
    "project_name": "屋面[/]维修[bold red]x[/]",
    "repair_part": "[link=x]屋面[/link]",
    "repair_content": "[/]" + "内" * 497,
    "contractor": "[bold]施工[/bold]单位",
    "contact_name": "王[/]芳",
    "remark": "[/]" + "备" * 497,
}
RAW = "\x1b[2J\x00注[/]"  # stored directly: the services refuse control characters now
REASON = "缺少[/]签字[link=x]表[bold red]y"
OWNER = "[red]王[/]\x1b[31m𠀀"
ENTERPRISE = "[b]物业[/b]"
CLERK = "[i]经办[/i]\x07"


def screen_text(app) -> str:
    update_ = app.screen._compositor.render_full_update()
    return "\n".join("".join(seg.text for seg in strip) for strip in update_.strips)


def assert_literal(app, *texts: str) -> None:
    shown = screen_text(app)
    assert "\x1b" not in shown and "\x00" not in shown and "\x07" not in shown
    for text in texts:  # controls shown as signs (Table) or dropped (plain labels): never raw
        # a list at 80 columns cuts free text with …: its first characters then, literal as well
        assert any(form[:12] in shown or any(form[:n] + "…" in shown for n in range(5, 12))
                   for form in (visible(text), clean(text))), (text, shown)


def _seed(demo_db, actor_of):
    qyjb = actor_of("qyjb")
    waiting = submitted_order(demo_db, qyjb, **MARKUP)
    returned = submitted_order(demo_db, qyjb, **MARKUP)
    review.return_order(demo_db, actor_of("shenhe"), returned, REASON)
    with demo_db.write() as s:
        s.execute(update(TaskOrder).where(TaskOrder.id.in_([waiting, returned]))
                  .values(project_name=MARKUP["project_name"] + RAW))
        house_ids = s.execute(select(TaskOrderLine.house_id).where(TaskOrderLine.task_order_id == waiting)
                              ).scalars().all()
        owner_ids = s.execute(select(House.owner_id).where(House.id.in_(house_ids))).scalars().all()
        s.execute(update(Owner).where(Owner.id.in_(owner_ids)).values(name=OWNER))
        s.execute(update(TaskOrderLine).values(owner_name=OWNER))
        s.execute(update(Organisation).where(Organisation.id == qyjb.organisation_id).values(name=ENTERPRISE))
        s.execute(update(User).where(User.id == qyjb.user_id).values(real_name=CLERK))
    return waiting, returned


def test_table_cells_are_literal_with_controls_visible():
    shown = _cell("a[/]b\x1b[2J\x00\ud800" + "x" * 500)
    assert isinstance(shown, Cell) and shown.plain.startswith("a[/]b␛[2J␀\ufffd") and not shown.spans
    assert shown == shown.plain


async def test_every_screen_shows_typed_text_literally(make_demo_app, demo_db, actor_of):
    _seed(demo_db, actor_of)
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order_home(pilot)
        assert_literal(app, MARKUP["project_name"] + RAW)
        await pilot.press("f3")  # 查看
        await settle(pilot)
        assert "屋面[/]维修[bold red]x[/]" in app.screen.body
        await pilot.press("enter")
        await pilot.press("f4")  # 到户支取详细信息
        await settle(pilot)
        assert_literal(app, OWNER)
        await pilot.press("escape")
        await pilot.press("c")  # 业主表决
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        assert_literal(app, OWNER)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f6")  # 审批退回及撤销
        await settle(pilot)
        assert_literal(app, MARKUP["project_name"])
        assert any(REASON in str(row) for row in
                   (app.screen.query_one(Table).get_row_at(i) for i in range(app.screen.query_one(Table).row_count)))
        await pilot.press("escape")
        app.push_screen(BusinessLogScreen())
        await settle(pilot)
        assert_literal(app)
        log = app.screen.query_one("#log")
        assert any(visible(CLERK) in log.get_row_at(i) for i in range(log.row_count))

    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "shenhe", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewQueueScreen)
        row = app.screen.query_one("#queue").get_row_at(0)
        name = MARKUP["project_name"] + RAW
        assert visible(name) in row or clean(name) in row
        screen_text(app)  # renders without MarkupError
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewOrderScreen)
        assert_literal(app, OWNER, ENTERPRISE)  # the enterprise is on the order's screen, not in the queue
