"""Owner consent (BY-03): art. 278 thresholds met exactly or missed by a hair, owners counted per the
2020 interpretation, and recording through the service."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import TaskOrderLine
from services.review import consent
from services.review import task_orders as review
from services.task_orders import submit as task_order_submit
from services.review.consent import DEVELOPER, Vote, tally
from services.core.errors import NotFound, PermissionDenied, ValidationError
from tests.orders import ready_draft

pytestmark = pytest.mark.both_backends


def votes(*specs) -> list[Vote]:
    """(owner, area, choice) per house; house ids in order."""
    return [Vote(i, owner, area, choice) for i, (owner, area, choice) in enumerate(specs, 1)]


def test_participation_of_exactly_two_thirds_counts():
    # 3 owners, equal areas: two take part (exactly 2/3 of area and heads), both agree.
    result = tally(votes((1, 100, "agree"), (2, 100, "agree"), (3, 100, None)))
    assert result.participation_met and result.consent_met and result.passed


def test_participation_a_hair_under_two_thirds_fails():
    # Area 200 of 301 is just under 2/3 even though two of three owners took part.
    result = tally(votes((1, 100, "agree"), (2, 100, "agree"), (3, 101, "absent")))
    assert not result.participation_met and not result.passed
    assert "三分之二" in result.verdict


def test_consent_of_exactly_half_is_not_more_than_half():
    # Everyone takes part; half the area and half the heads agree: not "过半数".
    result = tally(votes((1, 100, "agree"), (2, 100, "disagree")))
    assert result.participation_met and not result.consent_met
    assert "一半" in result.verdict


def test_consent_needs_both_area_and_heads():
    # Heads 2 of 3 agree, but their area is under half of the participating area.
    heads_only = tally(votes((1, 10, "agree"), (2, 10, "agree"), (3, 100, "disagree")))
    assert not heads_only.consent_met
    # Area over half, but only 1 of 3 heads.
    area_only = tally(votes((1, 300, "agree"), (2, 100, "disagree"), (3, 100, "disagree")))
    assert not area_only.consent_met


def test_owner_of_several_houses_counts_once_and_developer_unsold_houses_once():
    result = tally(votes((7, 100, "agree"), (7, 100, "agree"), (7, 100, "agree"),
                         (DEVELOPER, 100, "disagree"), (DEVELOPER, 100, "disagree"), (8, 100, None)))
    assert (result.total_owners, result.participating_owners, result.agreeing_owners) == (3, 2, 1)
    assert (result.total_area, result.participating_area, result.agreeing_area) == (600, 500, 300)
    # Heads 1 of 2 participating owners agree — exactly half, so it fails although 60 % of area agrees.
    assert result.participation_met and not result.consent_met


def test_emergency_repairs_are_exempt():
    result = tally(votes((1, 100, None)), emergency=True)
    assert result.passed and not result.participation_met and "应急维修" in result.verdict


def test_one_owner_with_two_different_choices_is_refused_by_the_tally():
    with pytest.raises(ValueError):
        tally(votes((1, 100, "agree"), (1, 100, "disagree")))


@st.composite
def owner_votes(draw):
    owners = draw(st.integers(1, 12))
    choices = {o: draw(st.sampled_from(("agree", "disagree", "absent", None))) for o in range(owners)}
    houses = draw(st.lists(st.tuples(st.integers(0, owners - 1), st.integers(1, 30_000)), min_size=1, max_size=40))
    return [Vote(i, owner, area, choices[owner]) for i, (owner, area) in enumerate(houses)]


@settings(max_examples=300, deadline=None)
@given(owner_votes(), st.booleans())
def test_tally_matches_the_rule_written_with_fractions(vs, emergency):
    result = tally(vs, emergency=emergency)
    heads = {v.owner_key: v.choice for v in vs}
    area = sum(v.area for v in vs)
    part_area = sum(v.area for v in vs if v.choice in ("agree", "disagree"))
    agree_area = sum(v.area for v in vs if v.choice == "agree")
    part_heads = sum(c in ("agree", "disagree") for c in heads.values())
    agree_heads = sum(c == "agree" for c in heads.values())
    participation = (Fraction(part_area, area) >= Fraction(2, 3)
                     and Fraction(part_heads, len(heads)) >= Fraction(2, 3))
    majority = participation and 2 * agree_area > part_area and 2 * agree_heads > part_heads
    assert result.participation_met == participation
    assert result.passed == (emergency or majority)
    assert sum(v.choice is not None for v in vs) == result.recorded


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 60), st.integers(1, 5_000))
def test_exact_two_thirds_boundary_in_heads_and_area(third, area):
    """3k owners of equal area, 2k of them agreeing: exactly 2/3 take part, all of them agree."""
    vs = [Vote(i, i, area, "agree" if i < 2 * third else None) for i in range(3 * third)]
    assert tally(vs).passed
    vs[0] = Vote(0, 0, area, None)  # one owner fewer: under 2/3
    assert not tally(vs).participation_met


# -- the service ---------------------------------------------------------------------------------
@pytest.fixture
def submitted(demo_db, actor_of):
    """A whole building's order: it holds owners of several houses and the developer's unsold ones."""
    actor = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, actor)
    task_order_submit.submit(demo_db, actor, order_id, buildings)
    return actor, order_id


def houses_of_one_owner(db, order_id: int) -> list[int]:
    with db.read() as s:
        owner = s.execute(select(TaskOrderLine.owner_id).where(TaskOrderLine.task_order_id == order_id)
                          .group_by(TaskOrderLine.owner_id).having(func.count() > 1).limit(1)).scalar_one()
        return list(s.execute(select(TaskOrderLine.house_id).where(TaskOrderLine.task_order_id == order_id,
                                                                   TaskOrderLine.owner_id == owner)).scalars())


def test_recording_goes_to_every_house_of_the_same_owner(demo_db, submitted):
    actor, order_id = submitted
    number, lines, before = consent.consent_sheet(demo_db, actor, order_id)
    assert number.startswith("WX") and before.recorded == 0 and not before.passed
    same_owner = houses_of_one_owner(demo_db, order_id)
    changed, after = consent.record_consent(demo_db, actor, order_id, {same_owner[0]: "agree"})
    assert set(changed) == set(same_owner) and set(changed.values()) == {"同意"}
    assert after.recorded == len(same_owner) and after.participating_owners == 1
    changed, after = consent.record_consent(demo_db, actor, order_id, {same_owner[-1]: "absent"})
    assert set(changed.values()) == {"未参与"} and after.participating_owners == 0
    # Everybody agrees: the order now passes, and the sheet shows it.
    consent.record_consent(demo_db, actor, order_id, {x.house_id: "agree" for x in lines})
    _, lines, final = consent.consent_sheet(demo_db, actor, order_id)
    assert final.passed and {x.choice for x in lines} == {"同意"} and final.recorded == len(lines)


def test_recording_is_refused_outside_the_rules(demo_db, actor_of, submitted):
    actor, order_id = submitted
    _, lines, _ = consent.consent_sheet(demo_db, actor, order_id)
    house = lines[0].house_id
    with pytest.raises(ValidationError, match="表决意见须为"):
        consent.record_consent(demo_db, actor, order_id, {house: "yes"})
    with pytest.raises(ValidationError, match="不在本任务单"):
        consent.record_consent(demo_db, actor, order_id, {10**9: "agree"})
    with pytest.raises(NotFound):
        consent.record_consent(demo_db, actor_of("duoshenfen"), order_id, {house: "agree"})
    with pytest.raises(PermissionDenied):
        consent.record_consent(demo_db, actor_of("shenhe"), order_id, {house: "agree"})
    review.return_order(demo_db, actor_of("shenhe"), order_id, "材料不全")
    with pytest.raises(ValidationError, match="只有待审核的任务单"):
        consent.record_consent(demo_db, actor, order_id, {house: "agree"})


def test_one_save_cannot_give_one_owner_two_choices(demo_db, submitted):
    actor, order_id = submitted
    a, b = houses_of_one_owner(demo_db, order_id)[:2]
    with pytest.raises(ValidationError, match="同一业主"):
        consent.record_consent(demo_db, actor, order_id, {a: "agree", b: "disagree"})
    assert consent.consent_sheet(demo_db, actor, order_id)[2].recorded == 0
