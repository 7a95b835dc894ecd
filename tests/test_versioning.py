"""B8: two people changing one record: the second save is refused and nothing of the first is lost."""

from __future__ import annotations

import pytest

from models import TaskOrder
from services.core.errors import StaleRecord
from services.review import task_orders as review
from services.task_orders import drafts
from services.task_orders import submit as task_order_submit
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends
STALE = "该记录已被他人修改，请刷新后重试"


def _stored(db, order_id, column):
    with db.read() as s:
        return getattr(s.get(TaskOrder, order_id), column)


@pytest.fixture
def two_clerks(demo_db, actor_of):
    first, second = actor_of("qyjb"), actor_of("qyadmin")
    assert first.organisation_id == second.organisation_id
    order_id, buildings = ready_draft(demo_db, first, houses=5)
    return first, second, order_id, buildings


def test_the_second_save_from_the_same_version_is_refused(demo_db, two_clerks):
    first, second, order_id, _ = two_clerks
    seen_by_first = drafts.draft_state(demo_db, first, order_id).version
    seen_by_second = drafts.draft_state(demo_db, second, order_id).version
    drafts.save_field(demo_db, first, order_id, "project_name", "一号楼电梯更换", expected_version=seen_by_first)
    with pytest.raises(StaleRecord) as refused:
        drafts.save_field(demo_db, second, order_id, "project_name", "二号楼外墙", expected_version=seen_by_second)
    assert refused.value.message == STALE
    assert _stored(demo_db, order_id, "project_name") == "一号楼电梯更换"
    # after a refresh the second clerk works on what the first saved
    fresh = drafts.draft_state(demo_db, second, order_id)
    assert fresh.values["project_name"] == "一号楼电梯更换" and fresh.version == seen_by_first + 1
    drafts.save_field(demo_db, second, order_id, "remark", "已核对", expected_version=fresh.version)
    assert _stored(demo_db, order_id, "remark") == "已核对"


def test_ones_own_saves_follow_on(demo_db, two_clerks):
    first, _, order_id, buildings = two_clerks
    version = drafts.draft_state(demo_db, first, order_id).version
    for n, name in enumerate(["甲", "乙", "丙"]):
        drafts.save_field(demo_db, first, order_id, "project_name", name, expected_version=version + n)
    drafts.fill_totals(demo_db, first, order_id, buildings, expected_version=version + 3)
    drafts.compute_rate(demo_db, first, order_id, expected_version=version + 4)
    assert _stored(demo_db, order_id, "version") == version + 5


def test_saving_houses_does_not_overwrite_the_form(demo_db, two_clerks):
    first, second, order_id, buildings = two_clerks
    version = drafts.draft_state(demo_db, first, order_id).version
    cells = drafts.building_grid(demo_db, second, order_id, buildings[0]).cells
    drafts.save_houses(demo_db, second, order_id, [c.house_id for c in cells[5:8]])
    drafts.save_field(demo_db, first, order_id, "remark", "加三户", expected_version=version)


def test_stale_totals_rate_and_discard_are_refused(demo_db, two_clerks):
    first, second, order_id, buildings = two_clerks
    version = drafts.draft_state(demo_db, first, order_id).version
    drafts.save_field(demo_db, second, order_id, "amount", "40000", expected_version=version)
    for call in (lambda: drafts.fill_totals(demo_db, first, order_id, buildings, expected_version=version),
                 lambda: drafts.compute_rate(demo_db, first, order_id, expected_version=version),
                 lambda: drafts.discard(demo_db, first, order_id, expected_version=version)):
        with pytest.raises(StaleRecord):
            call()
    assert _stored(demo_db, order_id, "amount_fen") == 4_000_000
    assert _stored(demo_db, order_id, "status") == "draft"


def test_a_draft_changed_after_its_confirmation_is_not_submitted(demo_db, two_clerks):
    first, second, order_id, buildings = two_clerks
    version = drafts.draft_state(demo_db, first, order_id).version
    drafts.save_field(demo_db, second, order_id, "amount", "40000", expected_version=version)
    with pytest.raises(StaleRecord):
        task_order_submit.submit(demo_db, first, order_id, buildings, expected_version=version)
    assert _stored(demo_db, order_id, "status") == "draft"
    drafts.compute_rate(demo_db, first, order_id, expected_version=version + 1)
    task_order_submit.submit(demo_db, first, order_id, buildings, expected_version=version + 2)
    assert _stored(demo_db, order_id, "status") == "submitted"


def test_a_decision_on_an_order_that_moved_on_is_refused(demo_db, two_clerks, actor_of):
    first, _, order_id, buildings = two_clerks
    task_order_submit.submit(demo_db, first, order_id, buildings)
    reviewer = actor_of("shenhe")
    seen = review.review_detail(demo_db, reviewer, order_id).version
    with pytest.raises(StaleRecord):
        review.approve(demo_db, reviewer, order_id, override_reason="业主已书面补充同意", expected_version=seen - 1)
    with pytest.raises(StaleRecord):
        review.return_order(demo_db, reviewer, order_id, "材料不全", expected_version=seen - 1)
    assert _stored(demo_db, order_id, "status") == "submitted"
    review.approve(demo_db, reviewer, order_id, override_reason="业主已书面补充同意", expected_version=seen)
    assert _stored(demo_db, order_id, "status") == "approved"
