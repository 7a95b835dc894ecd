"""业主表决 (BY-03): recording what each owner said, and the Civil Code art. 278 double majority.

Art. 278: the owners of at least two thirds of the area and at least two thirds of the owners take
part ("以上" includes the threshold itself, art. 1259); using the maintenance fund then needs the
owners of more than half of the participating area and more than half of the participating owners.

Owners are counted as the Supreme People's Court's 2020 interpretation on building ownership counts
them (arts. 8–9): one house is one owner, but several houses of one owner count once, and the
developer's unsold houses count as one owner in total. Area is the houses' building area. The base
is the order's apportionment: its snapshot lines. Emergency repairs are exempt.

All arithmetic is on integers and fractions: a threshold met exactly must never wobble.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import and_, bindparam, text
from sqlmodel import Session

from models import Community, Owner, OwnerConsent, TaskOrder, TaskOrderLine
from reports.data import LineData
from services.core.actor import Actor
from services.core.business_log import audit
from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.core.money import format_area
from services.core.session_check import checked_read, checked_write
from services.estate.scope import load_order
from services.task_orders import lines as order_lines

CHOICE_LABELS = {"agree": "同意", "disagree": "不同意", "absent": "未参与"}
NOT_RECORDED = "未录入"
DEVELOPER = "developer"  # the owner key all of the developer's unsold houses share
PARTICIPATION = Fraction(2, 3)
MAJORITY = Fraction(1, 2)
# SQLite and PostgreSQL both take this form; one statement per house however many houses a save covers.
UPSERT = text(
    "INSERT INTO owner_consent (task_order_id, house_id, choice, recorded_by, recorded_at) "
    "VALUES (:order_id, :house_id, :choice, :user_id, :at) ON CONFLICT (task_order_id, house_id) "
    "DO UPDATE SET choice = excluded.choice, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at"
).bindparams(bindparam("at", type_=OwnerConsent.__table__.c.recorded_at.type))


@dataclass(frozen=True)
class Vote:
    house_id: int
    owner_key: int | str  # the owner's id, or DEVELOPER
    area: int  # 0.01 ㎡
    choice: str | None  # None: not recorded, counts as not participating


@dataclass(frozen=True)
class Tally:
    emergency: bool
    houses: int
    recorded: int
    total_area: int
    total_owners: int
    participating_area: int
    participating_owners: int
    agreeing_area: int
    agreeing_owners: int

    @property
    def participation_met(self) -> bool:
        return (self.total_area > 0 and Fraction(self.participating_area, self.total_area) >= PARTICIPATION
                and Fraction(self.participating_owners, self.total_owners) >= PARTICIPATION)

    @property
    def consent_met(self) -> bool:
        return (self.participation_met and Fraction(self.agreeing_area, self.participating_area) > MAJORITY
                and Fraction(self.agreeing_owners, self.participating_owners) > MAJORITY)

    @property
    def passed(self) -> bool:
        return self.emergency or self.consent_met

    @property
    def verdict(self) -> str:
        if self.emergency:
            return "应急维修，依法无需业主表决"
        if not self.participation_met:
            return "未通过：参与表决的业主未达面积和人数的三分之二"
        if not self.consent_met:
            return "未通过：同意的业主未超过参与表决面积和人数的一半"
        return "通过：参与和同意均达到法定比例"

    def lines(self) -> list[str]:
        """The result as the order view shows it."""
        def share(part: int, whole: int) -> str:
            if not whole:
                return "—"
            hundredths = (part * 10_000 * 2 + whole) // (2 * whole)  # percent to two places, half up
            return f"{hundredths // 100}.{hundredths % 100:02d}%"

        return [
            f"业主表决（民法典第二百七十八条）：{self.verdict}",
            f"已录入 {self.recorded}/{self.houses} 户；业主 {self.total_owners} 人，"
            f"专有部分面积 {format_area(self.total_area)}㎡",
            f"参与表决：面积 {format_area(self.participating_area)}㎡（{share(self.participating_area, self.total_area)}），"
            f"人数 {self.participating_owners}（{share(self.participating_owners, self.total_owners)}），须均不低于三分之二",
            f"同意：面积 {format_area(self.agreeing_area)}㎡（{share(self.agreeing_area, self.participating_area)}），"
            f"人数 {self.agreeing_owners}（{share(self.agreeing_owners, self.participating_owners)}），"
            "须均超过参与表决的一半",
        ]


def tally(votes: Iterable[Vote], *, emergency: bool = False) -> Tally:
    """Count area per house and heads per owner. One owner's houses always carry one choice
    (record_consent keeps them together); an owner takes part or agrees through that choice."""
    houses = recorded = total_area = part_area = agree_area = 0
    owner_choice: dict[int | str, str | None] = {}
    for vote in votes:
        houses += 1
        recorded += vote.choice is not None
        total_area += vote.area
        part_area += vote.area if vote.choice in ("agree", "disagree") else 0
        agree_area += vote.area if vote.choice == "agree" else 0
        if owner_choice.setdefault(vote.owner_key, vote.choice) != vote.choice:
            raise ValueError(f"owner {vote.owner_key} has houses with different choices")
    choices = list(owner_choice.values())
    return Tally(emergency, houses, recorded, total_area, len(choices), part_area,
                 sum(c in ("agree", "disagree") for c in choices), agree_area, choices.count("agree"))


# -- the database side ---------------------------------------------------------------------------
def _votes(session: Session, order: TaskOrder) -> list[tuple[LineData, Vote]]:
    """Each stored line (in the one line order) with its recorded choice, and its vote."""
    developer_id = session.get(Community, order.community_id).developer_id
    rows = session.execute(
        order_lines.stored(order.id, TaskOrderLine.owner_id, Owner.kind, Owner.organisation_id, OwnerConsent.choice)
        .join(Owner, TaskOrderLine.owner_id == Owner.id)
        .outerjoin(OwnerConsent, and_(OwnerConsent.task_order_id == TaskOrderLine.task_order_id,
                                      OwnerConsent.house_id == TaskOrderLine.house_id))
    ).all()
    votes = []
    for row in rows:
        owner_id, kind, org, choice = row[order_lines.WIDTH:]
        line = order_lines.line(row, CHOICE_LABELS.get(choice, NOT_RECORDED))
        owner = DEVELOPER if kind == "organisation" and org == developer_id else owner_id
        votes.append((line, Vote(line.house_id, owner, line.area, choice)))
    return votes


def order_tally(session: Session, order: TaskOrder) -> tuple[list[LineData], Tally]:
    """Each line with its recorded choice, and the result, for whoever may see the order."""
    votes = _votes(session, order)
    return [line for line, _ in votes], tally((v for _, v in votes), emergency=order.emergency)


def _submitted_own_order(session: Session, actor: Actor, order_id: int) -> TaskOrder:
    order = load_order(session, actor, order_id, for_change=True)
    if order.status != "submitted":
        raise ValidationError("只有待审核的任务单可以录入业主表决意见")
    return order


def consent_sheet(db, actor: Actor, order_id: int) -> tuple[str, list[LineData], Tally]:
    """(application number, lines, result) of one of the organisation's submitted orders."""
    with checked_read(db, actor) as session:
        order = _submitted_own_order(session, actor, order_id)
        return (order.application_no, *order_tally(session, order))


def record_consent(db, actor: Actor, order_id: int, choices: dict[int, str]) -> tuple[dict[int, str], Tally]:
    """Record 同意 / 不同意 / 未参与 for houses of a submitted order, from the signed owners' table.

    A choice goes to every house of the same owner in the order (they count as one owner and say one
    thing), so the result returns every house changed with its new label, and the new tally.
    This is data entry like a draft's fields, saved at each key so nothing is lost: each save goes to
    the audit trail; the business log records the decision on the order, not every keystroke."""
    if not choices:
        raise ValidationError("请先选择房屋")
    unknown = set(choices.values()) - set(CHOICE_LABELS)
    if unknown:
        raise ValidationError("表决意见须为：同意、不同意、未参与")
    with checked_write(db, actor) as session:
        order = _submitted_own_order(session, actor, order_id)
        votes = {v.house_id: v for _, v in _votes(session, order)}
        if not set(choices) <= set(votes):
            raise ValidationError("所选房屋不在本任务单的分摊明细中")
        by_owner: dict[int | str, str] = {}
        for house_id, choice in choices.items():
            if by_owner.setdefault(votes[house_id].owner_key, choice) != choice:
                raise ValidationError("同一业主名下的多套房屋只能有一种表决意见")
        houses = {v.house_id: by_owner[v.owner_key] for v in votes.values() if v.owner_key in by_owner}
        now = utcnow()
        session.connection().execute(UPSERT, [
            {"order_id": order.id, "house_id": h, "choice": c, "user_id": actor.user_id, "at": now}
            for h, c in houses.items()
        ])
        audit(session, "录入业主表决意见", user_id=actor.user_id, organisation_id=actor.organisation_id,
              target=order.application_no, detail={"order_id": order.id, "houses": len(houses)})
        new_votes = (Vote(v.house_id, v.owner_key, v.area, houses.get(v.house_id, v.choice)) for v in votes.values())
        return {h: CHOICE_LABELS[c] for h, c in houses.items()}, tally(new_votes, emergency=order.emergency)
