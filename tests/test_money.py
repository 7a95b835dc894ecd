import pytest
from hypothesis import given, strategies as st

from services.core.errors import ValidationError
from services.core.money import MAX_FEN, format_fen, parse_area, parse_yuan, plain_fen, rate_text


@given(st.integers(1, MAX_FEN))
def test_plain_and_grouped_forms_parse_back(fen):
    assert parse_yuan(plain_fen(fen), "amount", "金额") == fen
    assert parse_yuan(format_fen(fen), "amount", "金额") == fen


@pytest.mark.parametrize("text,fen", [("1", 100), ("1.5", 150), ("0.01", 1), ("1,234.56", 123456),
                                      (" 999999999.99 ", MAX_FEN)])
def test_parse_yuan(text, fen):
    assert parse_yuan(text, "amount", "金额") == fen


@pytest.mark.parametrize("text,message", [
    ("", "请输入金额"), ("0", "金额须大于0"), ("0.00", "金额须大于0"), ("-5", "金额须大于0"),
    ("1.234", "金额最多两位小数"), ("abc", "金额须为数字，如 12345.67"), ("1e5", "金额须为数字，如 12345.67"),
    ("1000000000", "金额不能超过 999,999,999.99元"), ("12.", "金额须为数字，如 12345.67"),
])
def test_bad_amounts_name_the_problem(text, message):
    with pytest.raises(ValidationError) as err:
        parse_yuan(text, "amount", "金额")
    assert (err.value.message, err.value.field) == (message, "amount")


def test_area_and_rate():
    assert parse_area("89.5", "total_area", "面积") == 8950
    assert rate_text(100_000_00, 2_000_000) == "5.00"  # 100,000 元 over 20,000 ㎡
    assert rate_text(100, 300) == "0.33"
    assert rate_text(200, 300) == "0.67"  # half up
    with pytest.raises(ValidationError):
        rate_text(100, 0)


@given(st.integers(-10**12, 10**12))
def test_format_fen_groups_thousands(fen):
    text = format_fen(fen)
    assert int(text.replace(",", "").replace(".", "")) == fen
    assert text.endswith(f".{abs(fen) % 100:02d}")
