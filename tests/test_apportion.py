import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from services.task_orders.apportion import HouseWeight, apportion, deduction, house_order_key
from services.core.errors import ValidationError

houses_strategy = st.lists(
    st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(-2, 40), st.integers(1, 6), st.integers(1, 30_000)),
    min_size=1, max_size=60, unique_by=lambda t: t[:4],
)


def _houses(rows):
    return [HouseWeight(house_id=i + 1, order_key=house_order_key(b, u, f, r), area=a)
            for i, (b, u, f, r, a) in enumerate(rows)]


def _shares(amount, houses, method="area"):
    return {house.house_id: share for house, share in zip(houses, apportion(amount, houses, method))}


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(1, 99_999_999_999), rows=houses_strategy, method=st.sampled_from(["area", "household"]),
       seed=st.integers(0, 2**32))
def test_shares_add_up_are_fair_and_order_independent(amount, rows, method, seed):
    houses = _houses(rows)
    shares = _shares(amount, houses, method)
    assert sum(shares.values()) == amount
    weight = {h.house_id: (h.area if method == "area" else 1) for h in houses}
    total = sum(weight.values())
    for house_id, share in shares.items():
        exact = Fraction(amount * weight[house_id], total)
        assert exact - 1 < share < exact + 1  # never a fen or more from the exact share
    by_weight = {}
    for house_id, share in shares.items():
        by_weight.setdefault(weight[house_id], []).append(share)
    assert all(max(v) - min(v) <= 1 for v in by_weight.values())
    shuffled = houses[:]
    random.Random(seed).shuffle(shuffled)
    assert _shares(amount, shuffled, method) == shares


def test_leftover_fen_go_to_the_largest_remainders_then_fixed_order():
    houses = [HouseWeight(1, house_order_key(1, 1, 3, 1), 100), HouseWeight(2, house_order_key(1, 1, 1, 1), 100),
              HouseWeight(3, house_order_key(1, 1, 2, 1), 100)]
    # 33.33… each; the one leftover fen goes to the lowest floor, not the first listed house.
    assert _shares(100, houses) == {2: 34, 3: 33, 1: 33}
    assert apportion(100, houses) == [33, 34, 33]  # in the order given


@given(share=st.integers(0, 10**9), available=st.integers(-10**6, 10**9))
def test_deduction_takes_what_the_account_can_give(share, available):
    deducted, arrears = deduction(share, available)
    assert deducted + arrears == share and 0 <= deducted <= max(available, 0) and arrears >= 0
    assert arrears == 0 or deducted == max(available, 0)


@pytest.mark.parametrize("amount,houses,field", [
    (0, [HouseWeight(1, 1, 100)], "amount"),
    (100, [], "scope"),
    (100, [HouseWeight(1, 1, 0)], "scope"),
])
def test_bad_input(amount, houses, field):
    with pytest.raises(ValidationError) as err:
        apportion(amount, houses)
    assert err.value.field == field
