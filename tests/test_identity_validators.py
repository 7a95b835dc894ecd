"""Validators against the standards' own worked examples and published vectors, and generated bad input."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings, strategies as st

from services.core.checkcodes import CREDIT_CODE_CHARS, credit_code_check_char, id_card_check_char
from services.core.errors import ValidationError
from services.identity import validators as v
from services.identity.passwords_policy import check_new_password

# GB 11643-1999 appendix: the two worked examples; the 15-digit form of the first.
GB11643_EXAMPLES = ("11010519491231002X", "440524188001010014")
# GB 32100-2015 appendix A worked example; GB 11714-1997 example body code D2143569 → X.
GB32100_EXAMPLE = "91350100M000100Y43"


@pytest.mark.parametrize("number", GB11643_EXAMPLES)
def test_resident_id_standard_examples(number):
    assert v.resident_id(number) == number


def test_resident_id_lower_x_and_15_digits():
    assert v.resident_id("11010519491231002x") == "11010519491231002X"
    assert v.resident_id(" 110105491231002 ") == "11010519491231002X"


@pytest.mark.parametrize("bad", [
    "110105194912310021",  # wrong check digit
    "11010519491331002X",  # month 13
    "11010519490230002X",  # 30 February
    "99010519491231002X",  # no such province
    "1101051949123100",  # too short
    "",
])
def test_resident_id_refusals(bad):
    with pytest.raises(ValidationError) as err:
        v.resident_id(bad)
    assert err.value.message == "证件号码不是有效的居民身份证号码" and err.value.field == "id_no"


def test_resident_id_future_birth_refused():
    first17 = "11010520991231002"
    with pytest.raises(ValidationError):
        v.resident_id(first17 + id_card_check_char(first17))


def test_credit_code_standard_example_and_lower_case():
    assert v.credit_code(GB32100_EXAMPLE) == GB32100_EXAMPLE
    assert v.credit_code(GB32100_EXAMPLE.lower()) == GB32100_EXAMPLE


@pytest.mark.parametrize("bad", ["91350100M000100Y44", "91350100M000100Y4", "91350100M00O100Y43", "", "X" * 18])
def test_credit_code_refusals(bad):
    with pytest.raises(ValidationError) as err:
        v.credit_code(bad, field="code")
    assert err.value.field == "code" and "统一社会信用代码" in err.value.message


def test_org_code_standard_example():
    assert v.org_code("D2143569-X") == "D2143569-X"
    assert v.org_code("d2143569x") == "D2143569-X"
    # the organisation code embedded in the credit code example
    assert v.org_code(GB32100_EXAMPLE[8:17]) == "M000100Y-4"
    with pytest.raises(ValidationError, match="组织机构代码"):
        v.org_code("D2143569-1")


@pytest.mark.parametrize("value", ["13800138000", "19912345678", "15012345678"])
def test_mobile_ok(value):
    assert v.mobile(value) == value


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380000", "+8613800138000", "1380013800a"])
def test_mobile_refused(value):
    with pytest.raises(ValidationError, match="手机号码"):
        v.mobile(value)


@pytest.mark.parametrize("value", ["010-62345678", "01062345678", "021-6543210", "0755-88889999-123", "62345678"])
def test_landline_ok(value):
    assert v.landline(value) == value


@pytest.mark.parametrize("value", ["12345", "010-1234", "abc-12345678", "13800138000x"])
def test_landline_refused(value):
    with pytest.raises(ValidationError, match="电话号码"):
        v.landline(value)


def test_email_postcode_username():
    assert v.email("Zhang.Wei@Example.COM") == "Zhang.Wei@example.com"
    for bad in ("zhang", "a@b", "a@@b.cn", "a b@c.cn", "x@" + "a" * 100 + ".cn"):
        with pytest.raises(ValidationError, match="电子邮箱"):
            v.email(bad)
    assert v.postcode("100020") == "100020"
    for bad in ("10002", "1000200", "10002a"):
        with pytest.raises(ValidationError, match="邮政编码"):
            v.postcode(bad)
    assert v.username("zhangwei_01") == "zhangwei_01"
    for bad in ("zw", "1zhang", "张伟", "zhang wei", "a" * 21):
        with pytest.raises(ValidationError, match="用户名"):
            v.username(bad)


def test_other_id_types_format_only():
    assert v.id_number(v.PASSPORT, "e12345678") == "E12345678"
    assert v.id_number(v.HK_MACAO_PERMIT, "H12345678") == "H12345678"
    assert v.id_number(v.TAIWAN_PERMIT, "12345678") == "12345678"
    first17 = "81000019800101001"
    assert v.id_number(v.RESIDENCE_PERMIT, first17 + id_card_check_char(first17))
    assert v.id_number(v.RESIDENT_ID, "110105491231002") == "11010519491231002X"
    for id_type, bad in ((v.PASSPORT, "E1"), (v.HK_MACAO_PERMIT, "X12345678"), (v.TAIWAN_PERMIT, "1234")):
        with pytest.raises(ValidationError, match=f"不符合{id_type}"):
            v.id_number(id_type, bad)
    with pytest.raises(ValidationError) as err:
        v.id_number("", "123")
    assert err.value.field == "id_type"


@pytest.mark.parametrize("password, message", [
    ("Ab1", "密码长度应为8到128个字符"),
    ("abcdefgh1", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
    ("ABCDEFGH!", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
    ("Zhangwei_01", "密码不能与用户名相同"),
    ("Old@Pass1", "新密码不能与原密码相同"),
])
def test_password_strength_refusals(password, message):
    with pytest.raises(ValidationError) as err:
        v.password_strength(password, username="zhangwei_01", old="Old@Pass1")
    assert err.value.message == message


def test_password_strength_accepts_three_classes():
    for good in ("Abcdefg1", "abcdef1!", "ABCDEF1!", "Abcdefg!"):
        assert v.password_strength(good, username="someone") == good
    check_new_password("NewSecret99", "NewSecret99", old="Demo@2026", username="qyjb")
    with pytest.raises(ValidationError) as err:
        check_new_password("NewSecret99", "NewSecret98")
    assert err.value.field == "confirm"


# -- generated -------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=CREDIT_CODE_CHARS, min_size=17, max_size=17), st.sampled_from(CREDIT_CODE_CHARS))
def test_credit_code_any_wrong_last_char_refused(first17, last):
    if last == credit_code_check_char(first17):
        return
    with pytest.raises(ValidationError):
        v.credit_code(first17 + last)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(GB11643_EXAMPLES), st.integers(0, 16), st.sampled_from(string.digits))
def test_resident_id_single_digit_change_refused(number, position, digit):
    if number[position] == digit:
        return
    changed = number[:position] + digit + number[position + 1:]
    # MOD 11-2 catches every single substitution; a change that happens to keep the check char is impossible
    with pytest.raises(ValidationError):
        v.resident_id(changed)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=30))
def test_validators_never_crash(text):
    for check in (v.credit_code, v.org_code, v.resident_id, v.mobile, v.landline, v.email, v.postcode, v.username):
        try:
            check(text)
        except ValidationError as err:
            assert err.message
