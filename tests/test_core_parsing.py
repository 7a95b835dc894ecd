"""The typing rules of services.core.parsing and the money parsers built on them (issue 9, A2/A3)."""

import string
from datetime import date

import pytest
from hypothesis import given, strategies as st

from services.core.errors import ValidationError
from services.core.money import MAX_FEN, parse_area, parse_yuan
from services.core.parsing import INT32_MAX, ascii_digits, check_text, parse_date, parse_int

FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@given(st.integers(min_value=1, max_value=INT32_MAX))
def test_ascii_and_full_width_integers_read_the_same(n):
    assert parse_int(str(n), "f", "户数") == n
    assert parse_int(str(n).translate(FULL), "f", "户数") == n


@pytest.mark.parametrize("raw", ["①", "²", "٣", "1²", "一", "1.5", "-3", "", "1e3", "0x10"])
def test_other_digits_are_a_field_message(raw):
    with pytest.raises(ValidationError) as err:
        parse_int(raw, "total_households", "分摊总户数")
    assert err.value.field == "total_households" and err.value.message.startswith("分摊总户数")


@given(st.integers(min_value=INT32_MAX + 1, max_value=10 ** 40))
def test_integers_past_the_column_are_refused(n):
    with pytest.raises(ValidationError, match="不能超过"):
        parse_int(str(n), "f", "户数")


def test_a_huge_digit_string_is_refused_without_converting_it():
    with pytest.raises(ValidationError, match="不能超过"):
        parse_int("9" * 5000, "f", "户数")


@given(st.text())
def test_parse_int_never_raises_anything_but_a_field_message(raw):
    try:
        n = parse_int(raw, "f", "户数")
    except ValidationError as err:
        assert err.field == "f"
    else:
        assert 1 <= n <= INT32_MAX


@given(st.text())
def test_money_never_raises_anything_but_a_field_message(raw):
    for parse in (parse_yuan, parse_area):
        try:
            value = parse(raw, "amount", "金额")
        except ValidationError as err:
            assert err.field == "amount"
        else:
            assert 0 < value <= MAX_FEN


@given(st.integers(min_value=1, max_value=MAX_FEN))
def test_full_width_money_reads_as_ascii(fen):
    text = f"{fen // 100}.{fen % 100:02d}"
    assert parse_yuan(text.translate(FULL).replace(".", "．"), "a", "金额") == fen


@pytest.mark.parametrize("raw", ["\ud800", "a\udfffb", "x\x00y", "\x1b[2J", "a\x7fb"])
def test_unstorable_text_is_a_field_message(raw):
    with pytest.raises(ValidationError) as err:
        check_text(raw, "project_name", "项目名称")
    assert err.value.field == "project_name"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_printable_text_passes_stripped(raw):
    assert check_text(raw, "f", "x") == raw.strip()


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1899-12-31", "2100-01-01"])
def test_extreme_dates_are_a_field_message(raw):
    with pytest.raises(ValidationError, match="须在 1900-01-01 至 2099-12-31 之间"):
        parse_date(raw, "start", "开始日期")


@given(st.text())
def test_parse_date_never_raises_anything_but_a_field_message(raw):
    try:
        day = parse_date(raw, "start", "开始日期")
    except ValidationError as err:
        assert err.field == "start"
    else:
        assert day is None or date(1900, 1, 1) <= day <= date(2099, 12, 31)


def test_full_width_date_and_digits():
    assert parse_date("２０２６－１２－０１", "d", "日期") == date(2026, 12, 1)
    assert ascii_digits("１２３") == "123" and ascii_digits(string.ascii_letters) == string.ascii_letters


def test_one_text_check_serves_forms_reasons_and_the_login():
    """One check_text (services.core.parsing): a reason and a login name are refused for the same
    characters as a form field, with the same words (limits.check_text let ESC through a reason)."""
    import services.core.limits as limits
    from services.identity.auth import _require
    from services.review.task_orders import clean_reason

    assert not hasattr(limits, "check_text")
    for raw in ("a\x1b[2Jb", "a\x00b", "a\ud800b"):
        with pytest.raises(ValidationError) as form:
            check_text(raw, "reason", "原因")
        with pytest.raises(ValidationError) as reason:
            clean_reason(raw)
        assert reason.value.message == form.value.message and reason.value.field == "reason"
        with pytest.raises(ValidationError) as login:
            _require(raw, "username", "用户名")
        assert login.value.field == "username"
    with pytest.raises(ValidationError, match="空字符"):
        check_text("x\x00", "f", "备注")
    assert check_text(" pass word ", "password", "密码", strip=False) == " pass word "
    assert clean_reason("  材料不全  ") == "材料不全"
