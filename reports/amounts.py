"""Amounts for print: figures with thousands separators, and 人民币大写, the Chinese capitals
written on payment documents.

The capitals follow the People's Bank rules for filling in bills (正确填写票据和结算凭证的基本规定):
a leading 十 is written 壹拾, a run of zeros inside the number is one 零, an amount that ends at 元
gets 整, and a zero 角 before a non-zero 分 is written 零. Where the rules allow either form — a 零
after a 元 whose units digit is 0 when 角 follows — the stricter form (with 零) is used, as banks
prefer, because it leaves no room to insert a digit.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")
LIMIT_FEN = 10 ** 16 * 100  # 万亿 sections hold four digits: up to 9,999,999,999,999,999.99 元


def _section(value: int) -> str:
    """One group of four digits (0 < value < 10,000), zeros inside it collapsed to one 零."""
    text, pending_zero = "", False
    for place in range(3, -1, -1):
        digit = value // 10 ** place % 10
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += DIGITS[digit] + _PLACES[place]
    return text


def _yuan(yuan: int) -> str:
    """The integer part without 元: sections of four digits, high to low."""
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    text, skipped = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            skipped = True
            continue
        # Zeros between two written sections — an empty section, or this one's leading zeros —
        # read as one 零; a higher section's own trailing zeros are covered by its 万 or 亿.
        if text and (skipped or group < 1000):
            text += "零"
        text += _section(group) + _SECTIONS[index]
        skipped = False
    return text


def rmb_capitals(fen: int) -> str:
    """12345.67 元 (1234567 fen) → 壹万贰仟叁佰肆拾伍元陆角柒分; 0 → 零元整."""
    if fen < 0 or fen >= LIMIT_FEN:
        raise ValueError(f"amount out of range for capitals: {fen} fen")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if fen == 0:
        return "零元整"
    text = _yuan(yuan) + "元" if yuan else ""
    if jiao:
        if yuan and yuan % 10 == 0:
            text += "零"
        text += DIGITS[jiao] + "角"
    elif yuan and fen_digit:
        text += "零"
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    if not rest:
        text += "整"
    return text


def yuan(fen: int) -> str:
    """Figures for print: 1234567 fen → '12,345.67'."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def square_metres(area: int) -> str:
    """0.01 ㎡ for print: 895000 → '8,950.00'."""
    return yuan(area)
