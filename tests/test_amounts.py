"""人民币大写 and the figures on printed documents."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.amounts import DIGITS, rmb_capitals, square_metres, yuan


@pytest.mark.parametrize("fen,capitals", [
    (0, "零元整"),
    (1, "壹分"),
    (10, "壹角"),
    (1_00, "壹元整"),
    (1_05, "壹元零伍分"),
    (10_00, "壹拾元整"),
    (10_50, "壹拾元零伍角"),
    (1680_32, "壹仟陆佰捌拾元零叁角贰分"),
    (1409_50, "壹仟肆佰零玖元伍角"),
    (12345_67, "壹万贰仟叁佰肆拾伍元陆角柒分"),
    (101000_00, "壹拾万壹仟元整"),
    (100001_00, "壹拾万零壹元整"),
    (100000_10, "壹拾万元零壹角"),
    (1010000_00, "壹佰零壹万元整"),
    (10000100_00, "壹仟万零壹佰元整"),
    (100010000_00, "壹亿零壹万元整"),
    (100001000_00, "壹亿零壹仟元整"),
    (100000000_00, "壹亿元整"),
    (1000000000_00, "壹拾亿元整"),
    (999999999_99, "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_capitals_examples(fen, capitals):
    assert rmb_capitals(fen) == capitals


def test_out_of_range_is_refused():
    with pytest.raises(ValueError):
        rmb_capitals(-1)


def _reference(fen: int) -> str:
    """A second formulation: every digit with its place written out, then the zeros cleaned up
    by rewriting rules (the way the rule book states them), for amounts below 1 万亿元."""
    whole, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    if fen == 0:
        return "零元整"
    places = ["", "拾", "佰", "仟", "万", "拾", "佰", "仟", "亿", "拾", "佰", "仟"]
    digits = str(whole) if whole else ""
    text = "".join(DIGITS[int(d)] + places[len(digits) - 1 - i] for i, d in enumerate(digits))
    for pattern, replacement in (("零[拾佰仟]", "零"), ("零+", "零"), ("亿零万", "亿零"), ("零万", "万"),
                                 ("零亿", "亿"), ("零+", "零")):
        text = re.sub(pattern, replacement, text)
    if not whole:
        text = f"{DIGITS[jiao]}角{DIGITS[cents]}分"
        text = re.sub("零分$", "", re.sub("^零角", "", text))
        return text
    text = f"{text}元{DIGITS[jiao]}角{DIGITS[cents]}分"
    for pattern, replacement in (("零元", "元零"), ("零角零分$", "整"), ("零分$", ""), ("零角", "零"),
                                 ("零+", "零"), ("元零整$", "元整")):
        text = re.sub(pattern, replacement, text)
    return text


@given(st.integers(min_value=0, max_value=10 ** 12 * 100 - 1))
def test_capitals_agree_with_a_second_formulation(fen):
    assert rmb_capitals(fen) == _reference(fen)


@given(st.integers(min_value=0, max_value=10 ** 12 * 100 - 1))
def test_capitals_are_well_formed(fen):
    text = rmb_capitals(fen)
    assert "零零" not in text
    assert text.endswith("整") == (fen % 100 == 0)
    assert not text.startswith("零") or fen == 0
    assert not text.startswith("拾")  # a leading 十 is written 壹拾


@pytest.mark.parametrize("fen,text", [(0, "0.00"), (5, "0.05"), (123456789, "1,234,567.89"), (-150, "-1.50")])
def test_figures(fen, text):
    assert yuan(fen) == text
    assert square_metres(fen) == text
