"""The pure parts of 动态口令 (BY-08): which text is a code, the recovery alphabet, the QR drawing."""

from __future__ import annotations

import pytest
import segno
from hypothesis import given, strategies as st

from services.core.errors import ValidationError
from services.identity import otp_codes as codes
from tui.qr_art import BORDER, qr_lines


@given(st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_six_digits_are_a_totp_code(text):
    assert codes.kind_of(f" {text[:3]} {text[3:]} ") == ("totp", text)


@given(st.text(alphabet=codes.RECOVERY_ALPHABET, min_size=10, max_size=10))
def test_recovery_codes_in_any_case_and_grouping(text):
    assert codes.kind_of(f"{text[:5]}-{text[5:]}".lower()) == ("recovery", text)


@given(st.text(max_size=20).filter(lambda t: not (
        (len(t.replace(" ", "").replace("-", "").replace("\t", "")) == 6
         and t.replace(" ", "").replace("-", "").replace("\t", "").isdigit())
        or all(c in codes.RECOVERY_ALPHABET + " -\t" for c in t.upper()))))
def test_anything_else_is_refused_at_the_field(text):
    with pytest.raises(ValidationError) as refused:
        codes.kind_of(text)
    assert refused.value.field == "code"


def test_ambiguous_letters_are_not_recovery_characters():
    assert not set("IL01O") & set(codes.RECOVERY_ALPHABET)
    with pytest.raises(ValidationError):
        codes.kind_of("ABCDE-FGHI1")


def test_the_drawing_is_the_qr_matrix_two_rows_per_line():
    data = "otpauth://totp/wxzj:qyadmin?secret=MCXREYFPNRSCFA3AW33DN6LA34EVSDGG&issuer=wxzj"
    matrix = [list(map(bool, row)) for row in segno.make(data, error="l", micro=False,
                                                          boost_error=False).matrix_iter(border=BORDER)]
    lines = qr_lines(data)
    assert len(lines[0]) == len(matrix[0]) <= 41 and len(lines) == (len(matrix) + 1) // 2 <= 21
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    redrawn = []
    for line in lines:
        redrawn.append([top[c] for c in line])
        redrawn.append([bottom[c] for c in line])
    assert redrawn[:len(matrix)] == matrix


def test_a_long_user_name_still_fits_the_screen():
    secret = codes.new_secret()
    for name in ("qyadmin", "a" * 40, "张" * 20):
        uri = codes.provisioning_uri(secret, name, "wxzj")
        assert codes.base32(secret) in uri
        lines = qr_lines(uri)
        assert len(lines) <= 21 and len(lines[0]) <= 41
