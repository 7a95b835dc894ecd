"""The authority's review (BY-01, BY-02): queue, decisions, the ledger they move, and who may do it."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from models import (BusinessLog, Community, Freeze, FundAccount, Identity, LedgerEntry, Organisation, TaskOrder,
                    TaskOrderLine)
from services.review import consent
from services.estate import ledger
from services.review import task_orders as review
from services.task_orders import submit as task_order_submit
from services.identity.auth import actor_for_identity
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.ops.invariants import check
from services.review.workdays import add_working_days, deadline
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends


def submit(db, actor, **form):
    order_id, buildings = ready_draft(db, actor, houses=20, **form)
    task_order_submit.submit(db, actor, order_id, buildings)
    return order_id


def money(db, order_id):
    """(balance, frozen) of each account the order touches, and (count, sum) of its ledger entries."""
    with db.read() as s:
        accounts = {a: (b, f) for a, b, f in s.execute(
            select(FundAccount.id, FundAccount.balance, FundAccount.frozen)
            .join(TaskOrderLine, TaskOrderLine.house_id == FundAccount.house_id)
            .where(TaskOrderLine.task_order_id == order_id))}
        entries = s.execute(select(func.count(), func.coalesce(func.sum(LedgerEntry.amount), 0))
                            .where(LedgerEntry.task_order_id == order_id)).one()
        return accounts, tuple(entries)


def agree_all(db, actor, order_id):
    _, lines, _ = consent.consent_sheet(db, actor, order_id)
    consent.record_consent(db, actor, order_id, {x.house_id: "agree" for x in lines})


def log_of(db, number):
    with db.read() as s:
        return s.execute(select(BusinessLog.business_type, BusinessLog.summary)
                         .where(BusinessLog.application_no == number).order_by(BusinessLog.id)).all()


def test_queue_is_the_districts_submitted_orders_oldest_first(demo_db, actor_of):
    qyjb, reviewer = actor_of("qyjb"), actor_of("shenhe")
    first, second = submit(demo_db, qyjb), submit(demo_db, qyjb)
    rows, total = review.queue(demo_db, reviewer)
    assert [r.order_id for r in rows] == [first, second] and total == 2
    assert rows[0].households == 20 and rows[0].enterprise == qyjb.organisation_name
    assert "剩5个工作日" in rows[0].deadline and rows[0].days_left == 5
    task_order_submit.withdraw(demo_db, qyjb, [first])
    assert [r.order_id for r in review.queue(demo_db, reviewer)[0]] == [second]
    # Enterprise 2's communities lie in other districts: shenhe never sees them.
    other = submit(demo_db, actor_of("duoshenfen"))
    assert other not in {r.order_id for r in review.queue(demo_db, reviewer)[0]}


def test_deadline_counts_working_days_only():
    # Submitted Wednesday 2026-09-30 (local): 1 Oct – 7 Oct is the National Day holiday, Saturday 10 Oct a
    # working day; so the five working days are 8, 9, 10, 12 and 13 October.
    submitted = datetime(2026, 9, 30, 2, tzinfo=timezone.utc)
    due = deadline(submitted, 5, today=date(2026, 10, 8))
    assert due.due == date(2026, 10, 13) and due.days_left == 4
    assert deadline(submitted, 5, today=date(2026, 10, 13)).label == "10-13 今日到期"
    late = deadline(submitted, 5, today=date(2026, 10, 15))
    assert late.days_left == -2 and "超期2个工作日" in late.label
    # An ordinary week: Friday + 3 working days is Wednesday.
    assert add_working_days(date(2026, 11, 20), 3) == date(2026, 11, 25)


def test_approve_turns_freezes_into_withdrawals(demo_db, actor_of):
    qyjb, reviewer = actor_of("qyjb"), actor_of("shenhe")
    order_id = submit(demo_db, qyjb)
    agree_all(demo_db, qyjb, order_id)
    before, entries = money(demo_db, order_id)
    assert entries == (0, 0)
    with demo_db.read() as s:
        deducted = dict(s.execute(select(FundAccount.id, TaskOrderLine.deducted)
                                  .join(TaskOrderLine, TaskOrderLine.house_id == FundAccount.house_id)
                                  .where(TaskOrderLine.task_order_id == order_id)).all())
    number = review.approve(demo_db, reviewer, order_id)
    after, entries = money(demo_db, order_id)
    assert entries == (sum(1 for d in deducted.values() if d), -sum(deducted.values()))
    for account, (balance, frozen) in before.items():
        assert after[account] == (balance - deducted[account], frozen - deducted[account])
    with demo_db.read() as s:
        order = s.get(TaskOrder, order_id)
        assert (order.status, order.decided_by) == ("approved", reviewer.user_id)
        assert set(s.execute(select(Freeze.status).where(Freeze.task_order_id == order_id)).scalars()) == {"consumed"}
    assert log_of(demo_db, number)[-1].business_type == review.BUSINESS_APPROVE
    assert "业主表决通过" in log_of(demo_db, number)[-1].summary
    # The account screen shows the withdrawal first.
    house = next(iter(review.review_detail(demo_db, reviewer, order_id).lines)).house_id
    view = ledger.account_view(demo_db, reviewer, house)
    assert view.entries[0].kind == "支取" and view.entries[0].application_no == number
    assert view.freezes[0].status == "已支取" and view.available == view.balance - view.frozen
    assert check(demo_db).clean
    with pytest.raises(ValidationError, match="审核通过”，不能再审核"):
        review.approve(demo_db, reviewer, order_id)


def test_failing_vote_needs_an_explicit_confirmation_and_the_log_says_so(demo_db, actor_of):
    qyjb, reviewer = actor_of("qyjb"), actor_of("shenhe")
    order_id = submit(demo_db, qyjb)
    before = money(demo_db, order_id)
    with pytest.raises(review.ConsentNotMet, match="未通过"):
        review.approve(demo_db, reviewer, order_id)
    assert money(demo_db, order_id) == before  # nothing moved
    number = review.approve(demo_db, reviewer, order_id, override_reason="业主已书面补充同意")
    summary = log_of(demo_db, number)[-1].summary
    assert "业主表决未达《民法典》第二百七十八条规定，经审核员确认后审核通过" in summary


def test_emergency_repairs_need_no_vote(demo_db, actor_of):
    qyjb, reviewer = actor_of("qyjb"), actor_of("shenhe")
    order_id = submit(demo_db, qyjb, emergency="是")
    detail = review.review_detail(demo_db, reviewer, order_id)
    assert detail.consent.passed and "应急维修" in detail.consent.lines()[0]
    number = review.approve(demo_db, reviewer, order_id)
    assert "应急维修，免于业主表决" in log_of(demo_db, number)[-1].summary


@pytest.mark.parametrize("act,status,business", [
    (review.return_order, "returned", review.BUSINESS_RETURN),
    (review.cancel_order, "cancelled", review.BUSINESS_CANCEL),
])
def test_return_and_cancel_release_the_freezes_and_keep_the_reason(demo_db, actor_of, act, status, business):
    qyjb, reviewer = actor_of("qyjb"), actor_of("shenhe")
    order_id = submit(demo_db, qyjb)
    with demo_db.read() as s:
        balances = dict(s.execute(select(FundAccount.id, FundAccount.balance)).all())
    with pytest.raises(ValidationError) as err:
        act(demo_db, reviewer, order_id, "   ")
    assert (err.value.field, err.value.message) == ("reason", "请填写原因")
    number = act(demo_db, reviewer, order_id, " 业主签字不全 ")
    with demo_db.read() as s:
        order = s.get(TaskOrder, order_id)
        assert (order.status, order.reason) == (status, "业主签字不全")
        assert s.execute(select(func.count()).where(Freeze.task_order_id == order_id,
                                                    Freeze.status != "released")).scalar_one() == 0
        assert dict(s.execute(select(FundAccount.id, FundAccount.balance)).all()) == balances
        assert s.execute(select(func.sum(FundAccount.frozen))).scalar_one() == 0
    business_type, summary = log_of(demo_db, number)[-1]
    assert business_type == business and summary.startswith("原因：业主签字不全；解冻")
    assert check(demo_db).clean


def test_a_withdrawn_order_cannot_be_approved(demo_db, actor_of):
    qyjb = actor_of("qyjb")
    order_id = submit(demo_db, qyjb)
    task_order_submit.withdraw(demo_db, qyjb, [order_id])
    with pytest.raises(ValidationError, match="已撤销"):
        review.approve(demo_db, actor_of("shenhe"), order_id, override_reason="业主已书面补充同意")


def other_district_reviewer(db, order_id):
    """A reviewer of a district other than the order's."""
    with db.read() as s:
        district = s.execute(select(Community.district_id).join(TaskOrder, TaskOrder.community_id == Community.id)
                             .where(TaskOrder.id == order_id)).scalar_one()
        identity = s.execute(select(Identity.id).join(Organisation, Identity.organisation_id == Organisation.id)
                             .where(Identity.role == "reviewer", Organisation.district_id != district)
                             .limit(1)).scalar_one()
    return actor_for_identity(db, identity)


@pytest.mark.parametrize("who,error", [
    ("qyjb", PermissionDenied), ("qyadmin", PermissionDenied), ("admin", PermissionDenied),
    ("other_reviewer", NotFound),
])
def test_only_the_districts_reviewer_may_review(demo_db, actor_of, who, error):
    order_id = submit(demo_db, actor_of("qyjb"))
    actor = other_district_reviewer(demo_db, order_id) if who == "other_reviewer" else actor_of(who)
    house = review.review_detail(demo_db, actor_of("shenhe"), order_id).lines[0].house_id
    calls = [
        lambda: review.review_detail(demo_db, actor, order_id),
        lambda: review.approve(demo_db, actor, order_id, override_reason="业主已书面补充同意"),
        lambda: review.return_order(demo_db, actor, order_id, "原因"),
        lambda: review.cancel_order(demo_db, actor, order_id, "原因"),
    ]
    if who != "other_reviewer":
        calls.append(lambda: review.queue(demo_db, actor))
    for call in calls:
        with pytest.raises(error):
            call()
    if who == "other_reviewer":
        assert order_id not in {r.order_id for r in review.queue(demo_db, actor)[0]}
        with pytest.raises(NotFound):
            ledger.account_view(demo_db, actor, house)
    with demo_db.read() as s:
        assert s.get(TaskOrder, order_id).status == "submitted"


def test_ledger_is_shown_to_those_who_may_see_the_house(demo_db, actor_of):
    order_id = submit(demo_db, actor_of("qyjb"))
    house = review.review_detail(demo_db, actor_of("shenhe"), order_id).lines[0].house_id
    for who in ("qyjb", "qyadmin", "shenhe"):
        view = ledger.account_view(demo_db, actor_of(who), house)
        assert view.frozen > 0 and view.freezes[0].status == "冻结中"
        assert [e.occurred_at for e in view.entries] == sorted((e.occurred_at for e in view.entries), reverse=True)
        assert view.balance == view.entries[0].balance_after
    with pytest.raises(NotFound):
        ledger.account_view(demo_db, actor_of("duoshenfen"), house)
    with pytest.raises(PermissionDenied):
        ledger.account_view(demo_db, actor_of("admin"), house)
