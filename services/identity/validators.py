"""Field validators for registration and account forms: pure functions, one Chinese message each.

Each returns the normalised value (upper-cased codes, the 18-digit ID number, trimmed text) or raises
`ValidationError(message, field=...)`; `field` defaults to the usual form field name and can be overridden.
The check characters themselves live in `services.core.checkcodes`; this module adds the formats, the
resident ID number's region and date, and the password strength rules (which `passwords_policy` applies).
"""

from __future__ import annotations

import re
from datetime import date

from services.core.checkcodes import (
    CREDIT_CODE_CHARS,
    credit_code_check_char,
    id_card_check_char,
    org_code_check_char,
)
from services.core.errors import ValidationError

# GB/T 2260 province-level codes (the first two digits of a resident ID number); 71/81/82 are Taiwan, Hong Kong and
# Macao (on the residence permits for them) and 83 the Taiwan residents' residence permit.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
RESIDENT_ID = "居民身份证"
PASSPORT = "护照"
HK_MACAO_PERMIT = "港澳居民来往内地通行证"
TAIWAN_PERMIT = "台湾居民来往大陆通行证"
RESIDENCE_PERMIT = "港澳台居民居住证"
ID_TYPES = (RESIDENT_ID, PASSPORT, HK_MACAO_PERMIT, TAIWAN_PERMIT, RESIDENCE_PERMIT)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+")
_POSTCODE = re.compile(r"\d{6}")
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,19}")
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_HK_MACAO = re.compile(r"[HM]\d{8}(\d{2})?")
_TAIWAN = re.compile(r"\d{8}(\d{2})?")

PASSWORD_MIN, PASSWORD_MAX = 8, 128
EMAIL_MAX = 100


def _text(value: str | None) -> str:
    return (value or "").strip()


def required(value: str | None, label: str, field: str) -> str:
    """The trimmed value, or 请输入<label> at the field."""
    text = _text(value)
    if not text:
        raise ValidationError(f"请输入{label}", field=field)
    return text


def credit_code(value: str | None, field: str = "credit_code") -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters without I O S V Z, both check characters right."""
    code = _text(value).upper()
    if (
        len(code) != 18
        or any(c not in CREDIT_CODE_CHARS for c in code)
        or not _ORG_BODY.fullmatch(code[8:16])
        or org_code_check_char(code[8:16]) != code[16]
        or credit_code_check_char(code[:17]) != code[17]
    ):
        raise ValidationError("统一社会信用代码不正确，请核对18位代码", field=field)
    return code


def org_code(value: str | None, field: str = "org_code") -> str:
    """组织机构代码 (GB 11714-1997): eight digits or capitals and a check character, kept as XXXXXXXX-X."""
    code = _text(value).upper().replace("-", "")
    if len(code) != 9 or not _ORG_BODY.fullmatch(code[:8]) or org_code_check_char(code[:8]) != code[8]:
        raise ValidationError("组织机构代码不正确，格式如 12345678-X", field=field)
    return f"{code[:8]}-{code[8]}"


def _real_date(text: str) -> bool:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return date(1850, 1, 1) <= born <= date.today()  # GB 11643's own example was born in 1880


def resident_id(value: str | None, field: str = "id_no") -> str:
    """居民身份证号码 (GB 11643-1999): region, a real birth date, ISO 7064 MOD 11-2; 15 digits become 18."""
    number = _text(value).upper()
    if len(number) == 15 and number.isdigit():
        number = number[:6] + "19" + number[6:]
        number += id_card_check_char(number)
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or number[:2] not in PROVINCE_CODES
        or not _real_date(number[6:14])
        or id_card_check_char(number[:17]) != number[17]
    ):
        raise ValidationError("证件号码不是有效的居民身份证号码", field=field)
    return number


def id_number(id_type: str | None, value: str | None, field: str = "id_no") -> str:
    """A person's ID number by its type: the resident ID fully checked, the others by format only."""
    if id_type == RESIDENT_ID:
        return resident_id(value, field)
    number = _text(value).upper()
    pattern = {PASSPORT: _PASSPORT, HK_MACAO_PERMIT: _HK_MACAO, TAIWAN_PERMIT: _TAIWAN}.get(id_type or "")
    if id_type == RESIDENCE_PERMIT:
        ok = len(number) == 18 and number[:2] in ("81", "82", "83") and number[:17].isdigit() and (
            id_card_check_char(number[:17]) == number[17])
    elif pattern is None:
        raise ValidationError("请选择证件类型", field="id_type")
    else:
        ok = bool(pattern.fullmatch(number))
    if not ok:
        raise ValidationError(f"证件号码不符合{id_type}的格式", field=field)
    return number


def mobile(value: str | None, field: str = "mobile") -> str:
    number = _text(value)
    if not _MOBILE.fullmatch(number):
        raise ValidationError("手机号码应为11位数字，以1开头", field=field)
    return number


def landline(value: str | None, field: str = "phone") -> str:
    number = _text(value)
    if not _LANDLINE.fullmatch(number):
        raise ValidationError("电话号码格式不正确，如 010-62345678", field=field)
    return number


def email(value: str | None, field: str = "email") -> str:
    address = _text(value)
    if len(address) > EMAIL_MAX or not _EMAIL.fullmatch(address):
        raise ValidationError("电子邮箱格式不正确，如 name@example.com", field=field)
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def postcode(value: str | None, field: str = "postcode") -> str:
    code = _text(value)
    if not _POSTCODE.fullmatch(code):
        raise ValidationError("邮政编码应为6位数字", field=field)
    return code


def username(value: str | None, field: str = "username") -> str:
    name = _text(value)
    if not _USERNAME.fullmatch(name):
        raise ValidationError("用户名应为4到20位字母、数字或下划线，以字母开头", field=field)
    return name


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters the password uses."""
    return sum((
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ))


def password_strength(password: str, *, username: str | None = None, old: str | None = None,
                      field: str = "new") -> str:
    """≥ 8 characters, three of the four classes, not the user name, not the old password."""
    if not password:
        raise ValidationError("请输入密码", field=field)
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ValidationError(f"密码长度应为{PASSWORD_MIN}到{PASSWORD_MAX}个字符", field=field)
    if character_classes(password) < 3:
        raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类", field=field)
    if username and username.strip() and password.lower() == username.strip().lower():
        raise ValidationError("密码不能与用户名相同", field=field)
    if old is not None and password == old:
        raise ValidationError("新密码不能与原密码相同", field=field)
    return password
