"""【修改】 a returned or cancelled order (BJ-21): a new prefilled draft, submitted with a new number."""

import pytest
from sqlalchemy import select

from models import TaskOrder, TaskOrderHouse, TaskOrderLine
from services.review import task_orders as review
from services.task_orders import submit as task_order_submit
from services.task_orders import drafts
from services.core.errors import NotFound, ValidationError
from services.task_orders.queries import list_orders, order_detail
from services.task_orders.revision import start_revision
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends


@pytest.fixture
def returned(demo_db, actor_of):
    actor = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, actor, houses=15, remark="第一次申请")
    task_order_submit.submit(demo_db, actor, order_id, buildings)
    review.return_order(demo_db, actor_of("shenhe"), order_id, "请补充施工单位报价")
    return actor, order_id, buildings


def snapshot(db, order_id):
    with db.read() as s:
        order = s.get(TaskOrder, order_id)
        houses = set(s.execute(select(TaskOrderHouse.house_id).where(TaskOrderHouse.task_order_id == order_id))
                     .scalars())
        lines = s.execute(select(TaskOrderLine.house_id, TaskOrderLine.deducted)
                          .where(TaskOrderLine.task_order_id == order_id).order_by(TaskOrderLine.id)).all()
        return order.model_dump(), houses, lines


def test_modify_opens_a_prefilled_draft_and_resubmits_with_a_new_number(demo_db, returned):
    actor, old_id, buildings = returned
    before = snapshot(demo_db, old_id)
    assert [r.order_id for r in list_orders(demo_db, actor, "returned")] == [old_id]
    new_id = start_revision(demo_db, actor, old_id)
    assert start_revision(demo_db, actor, old_id) == new_id  # a second 【修改】 reopens the same draft
    state = drafts.draft_state(demo_db, actor, new_id)
    old_values = order_detail(demo_db, actor, old_id).values
    assert state.values == old_values and state.values["remark"] == "第一次申请"
    assert state.step == "buildings" and state.replaces_application_no == before[0]["application_no"]
    assert snapshot(demo_db, new_id)[1] == before[1]
    drafts.save_field(demo_db, actor, new_id, "remark", "已补充报价")
    result = task_order_submit.submit(demo_db, actor, new_id, buildings)
    assert result.application_no != before[0]["application_no"]
    assert order_detail(demo_db, actor, new_id).replaces_application_no == before[0]["application_no"]
    assert snapshot(demo_db, old_id) == before  # the old order stays as the authority left it
    with pytest.raises(ValidationError, match="已修改为新任务单"):
        start_revision(demo_db, actor, old_id)


def test_only_returned_or_cancelled_orders_of_ones_own_can_be_modified(demo_db, actor_of, returned):
    actor, old_id, _ = returned
    submitted_id, buildings = ready_draft(demo_db, actor, houses=5)
    task_order_submit.submit(demo_db, actor, submitted_id, buildings)
    with pytest.raises(ValidationError, match="只有审批退回或撤销的任务单可以修改"):
        start_revision(demo_db, actor, submitted_id)
    with pytest.raises(NotFound):
        start_revision(demo_db, actor_of("duoshenfen"), old_id)


def test_a_dropped_revision_draft_lets_the_clerk_modify_again(demo_db, returned):
    actor, old_id, _ = returned
    first = start_revision(demo_db, actor, old_id)
    drafts.discard(demo_db, actor, first)
    second = start_revision(demo_db, actor, old_id)
    assert second != first and drafts.draft_state(demo_db, actor, second).step == "buildings"
