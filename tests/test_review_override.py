"""Overriding a failed owners' vote takes a typed reason and an explicit Y (issue 9, F19)."""

import pytest
from sqlalchemy import select

from models import AuditEntry, BusinessLog
from screens.common.dialogs import ConfirmDialog
from screens.common.reason import ReasonDialog
from screens.review.task_orders import ReviewOrderScreen, ReviewQueueScreen
from services.core.errors import ValidationError
from services.review import task_orders as review
from tests.pilot import settle, text_of, type_text
from tests.test_review_screens import open_review, order_of, submitted_order


def test_an_override_without_a_reason_is_refused(demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    with pytest.raises(ValidationError) as err:
        review.approve(demo_db, actor_of("shenhe"), order_id, override_reason="   ")
    assert err.value.field == "reason"
    assert order_of(demo_db, order_id).status == "submitted"


async def test_enter_never_overrides_the_vote(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))  # nobody voted: the vote fails
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("f2", "enter")  # 确定审核通过吗？ — yes
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # no reason typed
        assert text_of(app, "#reason-error") == "请填写原因"
        await type_text(pilot, "业主已书面补充同意")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter", "enter")  # stray Enters do nothing here
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert order_of(demo_db, order_id).status == "submitted"
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReviewQueueScreen)
    order = order_of(demo_db, order_id)
    assert order.status == "approved"
    with demo_db.read() as s:
        row = s.execute(select(BusinessLog).where(BusinessLog.application_no == order.application_no)
                        .order_by(BusinessLog.id.desc())).scalars().first()
    assert "理由：业主已书面补充同意" in row.summary
    with demo_db.read() as s:
        audit = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert "业主已书面补充同意" in audit.detail and "override_reason" in audit.detail


async def test_escape_at_the_reason_leaves_the_order_waiting(make_demo_app, demo_db, actor_of):
    order_id = submitted_order(demo_db, actor_of("qyjb"))
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("f2", "y")
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewOrderScreen)
    assert order_of(demo_db, order_id).status == "submitted"
