"""Check characters of Chinese identification numbers: the unified social credit code (GB 32100-2015),
the organisation code inside it (GB 11714-1997) and the resident ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""

from __future__ import annotations

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else str(value % 11)


def is_valid_credit_code(code: str) -> bool:
    """Length, alphabet, the embedded organisation code's check character and the final one."""
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARS for c in code):
        return False
    return org_code_check_char(code[8:16]) == code[16] and credit_code_check_char(code[:17]) == code[17]


def id_card_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_card(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and id_card_check_char(number[:17]) == number[17]
