"""D13: what a form or dialog accepts, its column can hold, on PostgreSQL as on SQLite."""

from __future__ import annotations

import pytest

from models import BusinessLog, TaskOrder
from services.core.errors import ValidationError
from services.core.limits import column_limit
from services.identity import auth
from services.review import task_orders as review
from services.task_orders import drafts
from services.task_orders import submit as task_order_submit
from services.task_orders.form import FIELDS
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends
TEXT_FIELDS = ("project_name", "repair_part", "repair_content", "contractor", "contact_name", "remark")


def test_form_and_dialog_limits_are_the_columns(backend):
    by_key = {f.key: f for f in FIELDS}
    for key in TEXT_FIELDS + ("repair_category", "contact_phone"):
        assert by_key[key].max_length == column_limit(TaskOrder, key), key
    assert review.REASON_MAX == column_limit(TaskOrder, "reason")
    from screens.common import reason as dialog

    assert dialog.REASON_MAX == review.REASON_MAX


def test_nul_and_lone_surrogates_are_field_messages(demo_db, actor_of):
    clerk = actor_of("qyjb")
    order_id, _ = ready_draft(demo_db, clerk, houses=2)
    for key in TEXT_FIELDS:
        for bad in ("屋面\x00维修", "屋面\udc80维修"):
            with pytest.raises(ValidationError) as refused:
                drafts.save_field(demo_db, clerk, order_id, key, bad)
            assert refused.value.field == key
    with pytest.raises(ValidationError) as refused:
        auth.authenticate(demo_db, "qy\x00jb", "x")
    assert refused.value.field == "username"


def test_a_full_length_reason_is_stored_whole_and_its_log_line_fits(demo_db, actor_of):
    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=2)
    task_order_submit.submit(demo_db, clerk, order_id, buildings)
    reason = "材" * review.REASON_MAX
    with pytest.raises(ValidationError):
        review.return_order(demo_db, actor_of("shenhe"), order_id, reason + "多")
    review.return_order(demo_db, actor_of("shenhe"), order_id, reason)
    with demo_db.read() as s:
        assert s.get(TaskOrder, order_id).reason == reason
        from sqlalchemy import select

        summary = s.execute(select(BusinessLog.summary).where(BusinessLog.business_type == review.BUSINESS_RETURN)
                            ).scalar_one()
    assert len(summary) <= column_limit(BusinessLog, "summary") and summary.startswith("原因：材")
