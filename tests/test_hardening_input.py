"""Bad input never stops the app (issue 9, A2/A3): field messages, and a form that keeps saving."""

import pytest
from sqlalchemy import select

from models import TaskOrder
from screens.task_orders.form import TaskOrderFormScreen
from services.core.errors import ValidationError
from services.identity import auth
from services.records.business_log_query import LogFilter, parse_date, query_log
from services.task_orders import drafts
from tests.pilot import login, settle, text_of, type_text, wait_for
from tests.test_task_order_flow import open_order_home

SIZE = (80, 24)


def _draft(demo_db, actor):
    return drafts.start_draft(demo_db, actor, drafts.community_cards(demo_db, actor)[0].community_id)


@pytest.mark.parametrize("key", ["project_name", "repair_part", "repair_content", "contractor", "contact_name",
                                 "remark", "budget", "total_households", "plan_start", "contact_phone", "rate"])
def test_a_lone_surrogate_in_any_field_is_a_field_message(demo_db, actor_of, key):
    actor = actor_of("qyjb")
    with pytest.raises(ValidationError) as err:
        drafts.save_field(demo_db, actor, _draft(demo_db, actor), key, "12\ud800")
    assert err.value.field == key


@pytest.mark.parametrize("raw", ["①", "²", "99999999999999999999", "１２x"])
def test_odd_digits_in_total_households_are_a_field_message(demo_db, actor_of, raw):
    actor = actor_of("qyjb")
    with pytest.raises(ValidationError) as err:
        drafts.save_field(demo_db, actor, _draft(demo_db, actor), "total_households", raw)
    assert err.value.field == "total_households"


def test_full_width_digits_are_stored_as_digits(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id = _draft(demo_db, actor)
    assert drafts.save_field(demo_db, actor, order_id, "total_households", "１２") == "12"
    assert drafts.save_field(demo_db, actor, order_id, "budget", "１２０００．５") == "12000.50"


@pytest.mark.parametrize("username,password,field", [("qy\ud800jb", "x", "username"), ("qyjb", "pa\udc00ss", "password")])
def test_a_lone_surrogate_at_login_is_a_field_message(demo_db, username, password, field):
    with pytest.raises(ValidationError) as err:
        auth.authenticate(demo_db, username, password)
    assert err.value.field == field


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31"])
def test_extreme_log_dates_are_a_field_message(demo_db, actor_of, raw):
    with pytest.raises(ValidationError) as err:
        query_log(demo_db, actor_of("qyjb"), LogFilter(start=parse_date(raw, "start", "开始日期")))
    assert err.value.field == "start"


async def _form(pilot) -> TaskOrderFormScreen:
    await open_order_home(pilot)
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskOrderFormScreen)
    return pilot.app.screen


def _order(demo_db, order_id) -> TaskOrder:
    with demo_db.read() as s:
        return s.get(TaskOrder, order_id)


async def test_the_form_keeps_saving_after_a_bad_number_and_a_storage_fault(make_demo_app, demo_db, monkeypatch):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(pilot)
        form.query_one("#total_households").focus()
        await type_text(pilot, "①")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#form-message").startswith("分摊总户数须为正整数")
        assert form.query_one("#total_households").has_class("-bad")
        # A storage fault (a locked or full database) on one field …
        real = drafts.save_field
        calls = []

        def flaky(db, actor, order_id, key, value, **options):
            calls.append(key)
            if key == "contact_name":
                raise OSError("database or disk is full")
            return real(db, actor, order_id, key, value, **options)

        monkeypatch.setattr(drafts, "save_field", flaky)
        form.query_one("#contact_name").focus()
        await type_text(pilot, "王芳")
        await pilot.press("enter")
        await settle(pilot)
        assert "本项未保存" in text_of(app, "#form-message")
        # … and every later edit is still stored.
        await type_text(pilot, "13812345678")
        await pilot.press("enter")
        await type_text(pilot, "１２")
        await pilot.press("enter")
        await settle(pilot)
        assert await wait_for(pilot, lambda: _order(demo_db, form.order_id).total_households == 12)
        assert _order(demo_db, form.order_id).contact_phone == "13812345678"
        assert calls[-2:] == ["contact_phone", "total_households"]


async def test_a_start_date_after_the_end_date_does_not_trap_focus(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(pilot)
        form.query_one("#plan_end").focus()
        await type_text(pilot, "2027-01-10")
        await pilot.press("enter")
        await settle(pilot)
        form.query_one("#plan_start").focus()
        await type_text(pilot, "2027-02-01")
        await pilot.press("tab")
        await settle(pilot)
        assert text_of(app, "#form-message") == "计划完工日期不能早于计划开工日期"
        assert form.focused.id == "plan_end"  # moved on; the message stays
        await pilot.press("shift+tab", "shift+tab")
        assert form.focused.id == "method"


async def test_enter_on_a_choice_field_moves_on(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(pilot)
        form.query_one("#repair_category").focus()
        await pilot.press("right", "enter")
        assert form.focused.id == "repair_part"
        await type_text(pilot, "屋面")
        await pilot.press("enter")
        await settle(pilot)
        assert _order(demo_db, form.order_id).repair_part == "屋面"
        assert _order(demo_db, form.order_id).repair_category == "屋面防水"


def test_plan_dates_are_required_and_the_end_not_past(demo_db, actor_of):
    from services.task_orders import submit
    from tests.orders import ready_draft

    actor = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, actor, plan_start="")
    with pytest.raises(ValidationError) as err:
        submit.preview(demo_db, actor, order_id, buildings)
    assert (err.value.field, err.value.message) == ("plan_start", "请填写计划开工日期")
    order_id, buildings = ready_draft(demo_db, actor, plan_start="2020-01-01", plan_end="2020-02-01")
    with pytest.raises(ValidationError) as err:
        submit.preview(demo_db, actor, order_id, buildings)
    assert err.value.field == "plan_end"
