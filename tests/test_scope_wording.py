"""B7: a draft never points at another community's building; acting on an office's order says who may."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Building, Organisation, TaskOrder
from services.core.errors import NotFound, PermissionDenied
from services.review import consent
from services.task_orders import drafts
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends


def test_set_step_refuses_a_building_of_another_community(demo_db, actor_of):
    clerk = actor_of("qyjb")
    order_id, _ = ready_draft(demo_db, clerk, houses=3)
    with demo_db.read() as s:
        community = s.get(TaskOrder, order_id).community_id
        foreign = s.execute(select(Building.id).where(Building.community_id != community)).scalars().first()
    with pytest.raises(NotFound, match="不属于本任务单的小区"):
        drafts.set_step(demo_db, clerk, order_id, "grid", foreign)
    with demo_db.read() as s:
        assert s.get(TaskOrder, order_id).draft_building_id != foreign


@pytest.fixture
def office_order(demo_db, actor_of):
    office = actor_of("xqjb")
    order_id, buildings = ready_draft(demo_db, office, houses=3)
    task_order_submit.submit(demo_db, office, order_id, buildings)
    with demo_db.read() as s:
        name = s.get(Organisation, office.organisation_id).name
    return order_id, name


def test_the_enterprise_is_told_who_may_withdraw_an_offices_order(demo_db, actor_of, office_order):
    order_id, office_name = office_order
    with pytest.raises(PermissionDenied) as refused:
        task_order_submit.withdraw(demo_db, actor_of("qyjb"), [order_id])
    assert office_name in refused.value.message and "只能由该单位的经办人办理" in refused.value.message
    with demo_db.read() as s:
        assert s.get(TaskOrder, order_id).status == "submitted"


def test_the_enterprise_is_told_who_may_record_an_offices_consent(demo_db, actor_of, office_order):
    order_id, office_name = office_order
    with pytest.raises(PermissionDenied, match=office_name):
        consent.record_consent(demo_db, actor_of("qyjb"), order_id, {1: "agree"})


def test_another_enterprise_still_hears_not_found(demo_db, actor_of, office_order):
    order_id, _ = office_order
    other = actor_of("duoshenfen")
    if other.organisation_id is None or other.organisation_kind != "enterprise":
        pytest.skip("the demo's second enterprise account is not an order clerk")
    with pytest.raises(NotFound, match="不存在或不属于本单位"):
        task_order_submit.withdraw(demo_db, other, [order_id])
