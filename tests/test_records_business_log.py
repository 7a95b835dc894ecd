"""业务流水查询 brought to size: keyset pages, choices of the types and channels that exist (per organisation),
date bounds, Enter opening the business behind a row."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import BusinessLog
from screens.records.business_log import BusinessLogScreen
from screens.task_orders.view import OrderInfoDialog
from services.core.business_log import record_action
from services.core.errors import NotFound, ValidationError
from services.demo.accounts import DEMO_PASSWORD
from services.records import business_log_query as q
from services.task_orders.submit import BUSINESS_SUBMIT
from tests.orders import ready_draft
from tests.pilot import login, settle, text_of, type_text


def _log(db, actor, n: int, business_type: str = "测试业务", channel: str = "终端", prefix: str = "WX") -> None:
    with db.write() as session:
        for i in range(n):
            row = record_action(session, actor, business_type, application_no=f"{prefix}{i:014d}")
            row.channel = channel


def test_keyset_pages_walk_every_row_once(demo_db, actor_of):
    admin = actor_of("qyadmin")
    _log(demo_db, admin, 250)
    flt = q.LogFilter(business_type="测试业务")
    seen, page, pages = [], q.query_log(demo_db, admin, flt), 0
    assert page.total == 250 and page.pages == 3 and page.total_text == "250"
    while True:
        pages += 1
        seen += [r.serial_no for r in page.rows]
        if page.next is None:
            break
        page = q.query_log(demo_db, admin, flt, pages + 1, page.next)
    assert pages == 3 and len(seen) == len(set(seen)) == 250
    assert seen == sorted(seen, reverse=True)  # newest first


def test_the_count_stops_at_its_limit(demo_db, actor_of, monkeypatch):
    monkeypatch.setattr(q, "COUNT_LIMIT", 20)
    admin = actor_of("qyadmin")
    _log(demo_db, admin, 30)
    page = q.query_log(demo_db, admin, q.LogFilter(business_type="测试业务"))
    assert page.total_text == "20+" and page.pages == 1 and len(page.rows) == 30


def test_choices_are_the_values_of_the_own_scope(demo_db, actor_of):
    one, two = actor_of("qyadmin"), actor_of("duoshenfen")
    _log(demo_db, one, 2, "企业一的业务", channel="浏览器")
    _log(demo_db, two, 1, "企业二的业务", channel="命令行", prefix="GL")
    types_one, channels_one = q.choices(demo_db, one)
    types_two, channels_two = q.choices(demo_db, two)
    assert "企业一的业务" in types_one and "企业二的业务" not in types_one
    assert "企业二的业务" in types_two and "企业一的业务" not in types_two
    assert "浏览器" in channels_one and "命令行" not in channels_one
    assert types_one == sorted(set(types_one)) and "登录" in types_one
    root_types, _ = q.choices(demo_db, actor_of("admin"))
    assert {"企业一的业务", "企业二的业务"} <= set(root_types)
    assert q.business_types(demo_db, one) == types_one


def test_dates_default_and_bounds():
    start, end = q.default_range(date(2026, 12, 1))
    assert end == date(2026, 12, 1) and end - start == timedelta(days=q.DEFAULT_DAYS)
    for text in ("0001-01-01", "9999-12-31"):
        with pytest.raises(ValidationError, match="应在"):
            q.parse_date(text, "start", "开始日期")


def test_bounds_checked_in_the_service_too(demo_db, actor_of):
    with pytest.raises(ValidationError) as refused:
        q.query_log(demo_db, actor_of("qyadmin"), q.LogFilter(end=date(1, 1, 1)))
    assert refused.value.field == "end"


def test_the_business_behind_a_row_and_isolation(demo_db, actor_of):
    clerk, other = actor_of("qyjb"), actor_of("duoshenfen")
    from services.task_orders import submit

    order_id, buildings = ready_draft(demo_db, clerk)
    number = submit.submit(demo_db, clerk, order_id, buildings)
    number = getattr(number, "application_no", number)
    target = q.target_of(demo_db, clerk, number)
    assert (target.kind, target.target_id) == ("task_order", order_id)
    with pytest.raises(NotFound):
        q.target_of(demo_db, other, number)  # another enterprise's order
    with pytest.raises(NotFound):
        q.target_of(demo_db, clerk, "")


async def test_the_screen_filters_by_choice_pages_and_opens_the_order(make_demo_app, demo_db, actor_of):
    clerk = actor_of("qyjb")
    from services.task_orders import submit

    order_id, buildings = ready_draft(demo_db, clerk)
    submit.submit(demo_db, clerk, order_id, buildings)
    _log(demo_db, clerk, 120, "测试业务")
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BusinessLogScreen)
        start, end = q.default_range()
        assert (text_of(app, "#start"), text_of(app, "#end")) == (start.isoformat(), end.isoformat())
        choice = screen.query_one("#business_type")
        assert choice.value == "全部" and "测试业务" in choice.choices and "登录" in choice.choices
        table = screen.query_one("#log")
        assert table.row_count == 100
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.row_count > 0 and "第 2 页" in text_of(app, "#page-info")
        await pilot.press("pageup")
        await settle(pilot)
        assert "第 1 页" in text_of(app, "#page-info")

        await pilot.press("tab", "tab")  # to 业务类型
        assert choice.has_focus
        for _ in range(len(choice.choices)):
            if choice.value == BUSINESS_SUBMIT:
                break
            await pilot.press("right")
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == 1
        with demo_db.read() as s:
            number = s.execute(select(BusinessLog.application_no).where(
                BusinessLog.business_type == BUSINESS_SUBMIT)).scalar_one()
        assert table.get_row_at(0)[1] == number
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderInfoDialog)
        assert number in str(app.screen.query_one("VerticalScroll > Static").render())
        await pilot.press("escape")
        await settle(pilot)

        screen.query_one("#start").value = "2026-02-01"
        screen.query_one("#end").value = "2026-01-01"
        screen.query_one("#start").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#filter-message") == "开始日期不能晚于结束日期"
        await pilot.press("f6")  # 重新筛选: the defaults again
        await settle(pilot)
        assert choice.value == "全部" and text_of(app, "#end") == end.isoformat()
