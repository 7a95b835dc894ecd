import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from services.apportion import HouseWeight, apportion, house_order_key
from services.errors import ValidationError

houses_strategy = st.lists(
    st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(-2, 40), st.integers(1, 6),
              st.integers(1, 30_000), st.integers(0, 2_000_000)),
    min_size=1, max_size=60, unique_by=lambda t: t[:4],
)


def _houses(rows):
    return [HouseWeight(house_id=i + 1, order_key=house_order_key(b, u, f, r), area=a, available=av)
            for i, (b, u, f, r, a, av) in enumerate(rows)]


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(1, 99_999_999_999), rows=houses_strategy, method=st.sampled_from(["area", "household"]),
       seed=st.integers(0, 2**32))
def test_shares_add_up_are_fair_and_order_independent(amount, rows, method, seed):
    houses = _houses(rows)
    shares = apportion(amount, houses, method)
    assert sum(s.share for s in shares) == amount
    weight = {h.house_id: (h.area if method == "area" else 1) for h in houses}
    total = sum(weight.values())
    for s in shares:
        exact = Fraction(amount * weight[s.house_id], total)
        assert exact - 1 < s.share < exact + 1  # never more than a fen from the exact share
        assert s.deducted + s.arrears == s.share and 0 <= s.deducted
    by_weight = {}
    for s in shares:
        by_weight.setdefault(weight[s.house_id], []).append(s.share)
    assert all(max(v) - min(v) <= 1 for v in by_weight.values())
    shuffled = houses[:]
    random.Random(seed).shuffle(shuffled)
    assert {s.house_id: s.share for s in apportion(amount, shuffled, method)} == {s.house_id: s.share for s in shares}


def test_leftover_fen_go_to_the_largest_remainders_then_fixed_order():
    houses = [HouseWeight(1, house_order_key(1, 1, 3, 1), 100), HouseWeight(2, house_order_key(1, 1, 1, 1), 100),
              HouseWeight(3, house_order_key(1, 1, 2, 1), 100)]
    shares = {s.house_id: s.share for s in apportion(100, houses)}
    # 33.33… each; the one leftover fen goes to the lowest floor, not the first listed house.
    assert shares == {2: 34, 3: 33, 1: 33}


def test_arrears_are_what_the_balance_cannot_cover():
    houses = [HouseWeight(1, 1, 5000, available=10_000), HouseWeight(2, 2, 5000, available=1_000)]
    shares = {s.house_id: s for s in apportion(40_000, houses)}
    assert (shares[1].deducted, shares[1].arrears) == (10_000, 10_000)
    assert (shares[2].deducted, shares[2].arrears) == (1_000, 19_000)


@pytest.mark.parametrize("amount,houses,field", [
    (0, [HouseWeight(1, 1, 100)], "amount"),
    (100, [], "scope"),
    (100, [HouseWeight(1, 1, 0)], "scope"),
])
def test_bad_input(amount, houses, field):
    with pytest.raises(ValidationError) as err:
        apportion(amount, houses)
    assert err.value.field == field
