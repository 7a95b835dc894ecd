import pytest
from sqlalchemy import func, select

from models import BusinessLog, Freeze, FundAccount, TaskOrder, TaskOrderLine
from services.task_orders import drafts
from services.task_orders import submit
from services.core.errors import NotFound, PermissionDenied, ValidationError
from tests.orders import fill_form, ready_draft

pytestmark = pytest.mark.both_backends


def test_enterprise_sees_its_associated_communities_office_only_its_own(demo_db, actor_of):
    enterprise = drafts.community_cards(demo_db, actor_of("qyjb"))
    office = drafts.community_cards(demo_db, actor_of("xqjb"))
    assert len(enterprise) >= 3 and len(office) == 1
    assert office[0].community_id in {c.community_id for c in enterprise}
    assert all(c.buildings > 0 and c.houses > 0 for c in enterprise)
    with pytest.raises(PermissionDenied):
        drafts.community_cards(demo_db, actor_of("shenhe"))


def test_a_foreign_community_is_refused(demo_db, actor_of):
    mine = {c.community_id for c in drafts.community_cards(demo_db, actor_of("qyjb"))}
    other = drafts.community_cards(demo_db, actor_of("duoshenfen"))[0].community_id
    assert other not in mine
    with pytest.raises(PermissionDenied):
        drafts.start_draft(demo_db, actor_of("qyjb"), other)
    office = actor_of("xqjb")
    not_its_own = next(iter(mine - {drafts.community_cards(demo_db, office)[0].community_id}))
    with pytest.raises(PermissionDenied):
        drafts.start_draft(demo_db, office, not_its_own)


@pytest.mark.parametrize("key,value,message", [
    ("project_name", "x" * 101, "项目名称不能超过100个字"),
    ("repair_category", "装修", "维修类别须为：屋面防水、外墙、电梯、消防设施、给排水、供暖、道路及公共照明、安防及门禁、其他"),
    ("budget", "12.345", "预算金额(元)最多两位小数"),
    ("amount", "0", "申请支取金额(元)须大于0"),
    ("amount", "1000000000", "申请支取金额(元)不能超过 999,999,999.99元"),
    ("plan_start", "2026-02-30", "计划开工日期格式应为 2026-12-01"),
    ("contact_phone", "12345", "联系电话须为11位手机号或固定电话（如 010-12345678）"),
    ("total_households", "-3", "分摊总户数须为正整数"),
    ("rate", "abc", "分摊标准(元/㎡)须为数字，最多两位小数"),
])
def test_each_bad_field_is_named(demo_db, actor_of, key, value, message):
    actor = actor_of("qyjb")
    order_id = drafts.start_draft(demo_db, actor, drafts.community_cards(demo_db, actor)[0].community_id)
    with pytest.raises(ValidationError) as err:
        drafts.save_field(demo_db, actor, order_id, key, value)
    assert (err.value.field, err.value.message) == (key, message)


def test_cross_field_rules_and_stored_values(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id = drafts.start_draft(demo_db, actor, drafts.community_cards(demo_db, actor)[0].community_id)
    assert drafts.save_field(demo_db, actor, order_id, "budget", "1,000") == "1000.00"
    with pytest.raises(ValidationError, match="申请支取金额不能超过预算金额"):
        drafts.save_field(demo_db, actor, order_id, "amount", "1000.01")
    drafts.save_field(demo_db, actor, order_id, "plan_start", "2026-12-10")
    with pytest.raises(ValidationError) as err:
        drafts.save_field(demo_db, actor, order_id, "plan_end", "2026-12-09")
    assert err.value.field == "plan_end"
    assert drafts.save_field(demo_db, actor, order_id, "contact_phone", "010-65123456") == "010-65123456"
    state = drafts.draft_state(demo_db, actor, order_id)
    assert state.values["budget"] == "1000.00" and state.values["amount"] == ""


def test_grid_save_remove_and_card(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id = drafts.start_draft(demo_db, actor, drafts.community_cards(demo_db, actor)[0].community_id)
    building = drafts.building_cards(demo_db, actor, order_id)[0]
    grid = drafts.building_grid(demo_db, actor, order_id, building.building_id)
    assert list(grid.floors) == sorted(grid.floors, reverse=True) and len(grid.cells) == building.houses
    ids = [c.house_id for c in grid.cells[:5]]
    assert drafts.save_houses(demo_db, actor, order_id, ids) == 5
    assert drafts.save_houses(demo_db, actor, order_id, ids) == 0
    assert drafts.remove_houses(demo_db, actor, order_id, ids[:2]) == 2
    card = drafts.building_cards(demo_db, actor, order_id)[0]
    assert card.saved_houses == 3
    house = drafts.house_card(demo_db, actor, order_id, ids[3])
    assert house.saved and house.available_fen == house.balance_fen - house.frozen_fen
    other = drafts.community_cards(demo_db, actor)[1].community_id
    foreign = drafts.building_grid(demo_db, actor, drafts.start_draft(demo_db, actor, other),
                                   drafts.building_cards(demo_db, actor, drafts.start_draft(demo_db, actor, other))[0]
                                   .building_id).cells[0].house_id
    with pytest.raises(ValidationError, match="不属于本任务单的小区"):
        drafts.save_houses(demo_db, actor, order_id, [foreign])


def test_confirmation_requires_a_complete_consistent_form(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id = drafts.start_draft(demo_db, actor, drafts.community_cards(demo_db, actor)[0].community_id)
    building = drafts.building_cards(demo_db, actor, order_id)[0]
    with pytest.raises(ValidationError) as err:
        submit.preview(demo_db, actor, order_id, [building.building_id])
    assert (err.value.field, err.value.message) == ("project_name", "请填写项目名称")
    fill_form(demo_db, actor, order_id)
    with pytest.raises(ValidationError, match="还没有保存的房屋"):
        drafts.fill_totals(demo_db, actor, order_id, [building.building_id])
    cells = drafts.building_grid(demo_db, actor, order_id, building.building_id).cells
    drafts.save_houses(demo_db, actor, order_id, [c.house_id for c in cells])
    drafts.fill_totals(demo_db, actor, order_id, [building.building_id])
    with pytest.raises(ValidationError) as err:
        submit.preview(demo_db, actor, order_id, [building.building_id])
    assert err.value.field == "rate"
    drafts.compute_rate(demo_db, actor, order_id)
    drafts.save_field(demo_db, actor, order_id, "total_households", "1")
    with pytest.raises(ValidationError) as err:
        submit.preview(demo_db, actor, order_id, [building.building_id])
    assert err.value.field == "total_households"


def test_submit_stores_lines_freezes_log_and_is_idempotent(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, actor, amount="50000")
    confirmation = submit.preview(demo_db, actor, order_id, buildings)
    assert sum(x.share for x in confirmation.lines) == 5_000_000
    result = submit.submit(demo_db, actor, order_id, buildings)
    again = submit.submit(demo_db, actor, order_id, buildings)
    assert again == result and result.application_no.startswith("WX")
    assert result.households == len(confirmation.lines)
    with demo_db.read() as s:
        order = s.get(TaskOrder, order_id)
        assert order.status == "submitted" and order.application_no == result.application_no
        lines = s.execute(select(TaskOrderLine).where(TaskOrderLine.task_order_id == order_id)).scalars().all()
        assert sum(x.share for x in lines) == 5_000_000
        freezes = s.execute(select(Freeze).where(Freeze.task_order_id == order_id)).scalars().all()
        assert sum(f.amount for f in freezes) == sum(x.deducted for x in lines)
        assert s.execute(select(func.count()).select_from(BusinessLog)
                         .where(BusinessLog.application_no == result.application_no)).scalar_one() == 1
        bad = s.execute(select(func.count()).select_from(FundAccount)
                        .where(FundAccount.frozen > FundAccount.balance)).scalar_one()
        assert bad == 0
    with pytest.raises(ValidationError):
        drafts.save_field(demo_db, actor, order_id, "remark", "too late")


def test_withdraw_releases_freezes_all_or_nothing(demo_db, actor_of):
    actor = actor_of("qyjb")
    first, b1 = ready_draft(demo_db, actor, houses=10)
    second, b2 = ready_draft(demo_db, actor, community_index=1, houses=10)
    submit.submit(demo_db, actor, first, b1)
    submit.submit(demo_db, actor, second, b2)
    draft, _ = ready_draft(demo_db, actor, houses=3)
    with pytest.raises(ValidationError, match="不是待审核状态"):
        submit.withdraw(demo_db, actor, [first, draft])
    with demo_db.read() as s:
        assert s.get(TaskOrder, first).status == "submitted"
    numbers = submit.withdraw(demo_db, actor, [first, second])
    assert len(numbers) == 2
    with demo_db.read() as s:
        assert {s.get(TaskOrder, i).status for i in (first, second)} == {"withdrawn"}
        assert s.execute(select(func.sum(FundAccount.frozen))).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(Freeze).where(Freeze.status == "active")).scalar_one() == 0


def test_another_organisation_can_neither_see_nor_open_a_draft(demo_db, actor_of):
    order_id, _ = ready_draft(demo_db, actor_of("qyjb"), houses=2)
    stranger = actor_of("duoshenfen")
    with pytest.raises(NotFound):
        drafts.draft_state(demo_db, stranger, order_id)
    with pytest.raises(NotFound):
        drafts.save_field(demo_db, stranger, order_id, "remark", "x")
    assert drafts.open_drafts(demo_db, stranger) == []
    assert [d.order_id for d in drafts.open_drafts(demo_db, actor_of("qyjb"))] == [order_id]


def test_a_second_order_sees_what_the_first_froze(demo_db, actor_of):
    actor = actor_of("qyjb")
    # A huge amount so every house's whole available balance is deducted.
    first, buildings = ready_draft(demo_db, actor, houses=20, budget="90000000", amount="90000000")
    submit.submit(demo_db, actor, first, buildings)
    second, _ = ready_draft(demo_db, actor, houses=20, budget="90000000", amount="90000000")
    result = submit.submit(demo_db, actor, second, buildings)
    assert result.arrears_count == 20
    with demo_db.read() as s:
        deducted = s.execute(select(func.sum(TaskOrderLine.deducted))
                             .where(TaskOrderLine.task_order_id == second)).scalar_one()
        assert deducted == 0
