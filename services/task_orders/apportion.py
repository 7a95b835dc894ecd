"""分摊: dividing an amount over houses by building area or equally per house.

Largest-remainder rounding to the fen: every house first gets the floor of its exact share; the
fen left over go one each to the houses with the largest remainders. Ties are broken by the
house's fixed order (building, unit, floor, room), never by list order, so the result does not
depend on how the houses were listed, and houses of equal area differ by at most one fen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.core.errors import ValidationError

METHODS = {"area": "按建筑面积", "household": "按户平均"}


@dataclass(frozen=True, slots=True)
class HouseWeight:
    house_id: int
    order_key: int  # house_order_key(...): unique per house
    area: int  # 0.01 ㎡


def house_order_key(building_sort: int, unit: int, floor: int, room: int) -> int:
    """(building, unit, floor, room) packed into one integer, which sorts several times faster
    than a tuple. Floors lie within ±999 and units and rooms below 1000."""
    return ((building_sort * 1000 + unit) * 2000 + floor + 1000) * 1000 + room


def apportion(amount_fen: int, houses: Sequence[HouseWeight], method: str = "area") -> list[int]:
    """Each house's share in fen, in the order given; the shares add up to amount_fen exactly.

    Only the houses whose remainder ties with the last leftover fen are put in fixed order, so the
    100,000 houses of a big scope are never sorted as objects; and the result is a plain list of
    integers, because 100,000 result objects would cost more than the apportionment itself.
    """
    if method not in METHODS:
        raise ValidationError("分摊方式须为按建筑面积或按户平均", field="method")
    if amount_fen <= 0:
        raise ValidationError("申请支取金额须大于0", field="amount")
    weights = [h.area for h in houses] if method == "area" else [1] * len(houses)
    total = sum(weights)
    if not houses or total <= 0:
        raise ValidationError("分摊范围内没有建筑面积大于0的房屋，请先选择并保存房屋", field="scope")
    exact = [amount_fen * weight for weight in weights]
    shares = [e // total for e in exact]
    leftover = amount_fen - sum(shares)
    if leftover:
        remainders = [e % total for e in exact]
        cut = sorted(remainders, reverse=True)[leftover - 1]
        above = [i for i, r in enumerate(remainders) if r > cut]
        tied = sorted((i for i, r in enumerate(remainders) if r == cut), key=lambda i: houses[i].order_key)
        for index in above + tied[: leftover - len(above)]:
            shares[index] += 1
    return shares


def deduction(share: int, available: int) -> tuple[int, int]:
    """(deducted, arrears): the account gives what it can, the owner pays the rest (自筹金额)."""
    deducted = min(share, max(available, 0))
    return deducted, share - deducted
