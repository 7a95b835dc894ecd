"""Rare characters are printed from a fallback font or the print is refused, never dropped (issue 9, E14)."""

import os
from dataclasses import replace
from pathlib import Path

import pytest

from reports import ARREARS, SIGN_SHEET, TASK_ORDER, render
from reports.fonts import FALLBACK_ENV, SYSTEM_FALLBACKS, UnprintableCharacter, coverage, font_chain
from reports.frame import font_path
from services.core.errors import ValidationError
from tests.pdf_text import pdf_text
from tests.report_samples import STAMP, sample_lines, sample_order


def _extension_b_in_fallback_only() -> str:
    """An Extension B character the pip-installed fallback has and the primary font lacks."""
    primary, fallback = font_chain(font_path())[0][2], font_chain(font_path())[1][2]
    return next(chr(c) for c in sorted(fallback) if 0x20000 <= c <= 0x2A6DF and c not in primary)


def _with_owner(name: str):
    lines = sample_lines(6)
    lines = (replace(lines[0], owner=name),) + lines[1:]
    return replace(sample_order(lines), lines=lines)


def test_an_extension_b_name_prints_from_the_fallback_font(monkeypatch):
    monkeypatch.delenv(FALLBACK_ENV, raising=False)
    rare = _extension_b_in_fallback_only()
    text = pdf_text(render(SIGN_SHEET, _with_owner(f"王{rare}"), STAMP))
    assert f"王{rare}" in text


def test_the_fallback_font_is_embedded_as_a_subset():
    rare = _extension_b_in_fallback_only()
    pdf = render(SIGN_SHEET, _with_owner(f"王{rare}"), STAMP)
    plain = render(SIGN_SHEET, _with_owner("王芳"), STAMP)
    assert len(pdf) - len(plain) < 200_000  # a few glyphs, not the 5.6 MB font


@pytest.mark.parametrize("name,char", [("王\U00020000", "\U00020000"), ("李\U0002A6A5", "\U0002A6A5")])
def test_a_character_no_font_has_refuses_the_print_naming_it(monkeypatch, name, char):
    monkeypatch.setattr("reports.fonts.SYSTEM_FALLBACKS", ())
    monkeypatch.delenv(FALLBACK_ENV, raising=False)
    with pytest.raises(UnprintableCharacter) as err:
        render(SIGN_SHEET, _with_owner(name), STAMP)
    assert err.value.char == char and "业主姓名" in str(err.value) and char in str(err.value)


HANAMIN_B, SYMBOLA = (Path(p) for p in SYSTEM_FALLBACKS)


def _system_fonts_or_skip() -> None:
    """The system fallbacks (Debian's fonts-hanazono and fonts-symbola, which .ci/run installs) are
    needed; outside CI their absence skips with the reason, under CI it fails."""
    missing = [p.name for p in (HANAMIN_B, SYMBOLA) if not p.is_file()]
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"{'、'.join(missing)} 未安装：apt-get install fonts-hanazono fonts-symbola")
    assert not missing, f"{missing} missing under CI: .ci/run installs fonts-hanazono and fonts-symbola"


@pytest.mark.parametrize("doc_type", [SIGN_SHEET, TASK_ORDER])
def test_extension_b_names_and_an_emoji_print_on_the_sheet_and_the_order(monkeypatch, doc_type):
    """王𠀀 and 李𪚥 (U+20000, U+2A6A5: in no pip-installed font) and 项目𠀀喆🏠 are in the PDF's text,
    whole: HanaMinB prints the Extension B characters and Symbola the emoji."""
    _system_fonts_or_skip()
    monkeypatch.delenv(FALLBACK_ENV, raising=False)
    lines = sample_lines(6)
    lines = (replace(lines[0], owner="王\U00020000"), replace(lines[1], owner="李\U0002A6A5")) + lines[2:]
    data = replace(sample_order(lines), lines=lines, project_name="项目\U00020000喆🏠", contact_name="王\U00020000")
    text = pdf_text(render(doc_type, data, STAMP))
    assert "项目\U00020000喆🏠" in text
    if doc_type == SIGN_SHEET:
        assert "王\U00020000" in text and "李\U0002A6A5" in text
    else:
        assert "王\U00020000" in text  # the contact: the task order lists no owners


def test_doctor_reports_whether_extension_b_is_covered(monkeypatch):
    from reports.fonts import EXTENSION_B, extension_b_missing
    from tui.cli_ops import _extension_b_problem

    _system_fonts_or_skip()
    assert extension_b_missing(font_chain(font_path())) == 0 and _extension_b_problem() is None
    monkeypatch.setattr("reports.fonts.SYSTEM_FALLBACKS", ())
    missing = extension_b_missing(font_chain(font_path()))
    assert 0 < missing < len(EXTENSION_B)
    assert f"有 {missing} 个没有字体" in _extension_b_problem() and "fonts-hanazono" in _extension_b_problem()


def test_a_character_in_no_font_refuses_every_document():
    # U+1FAE8 (🫨, Unicode 15) is in none of the fonts, Symbola included.
    data = replace(sample_order(sample_lines(6)), project_name="项目喆\U0001FAE8")
    for doc_type in (TASK_ORDER, SIGN_SHEET, ARREARS):
        with pytest.raises(UnprintableCharacter, match="项目名称.*\U0001FAE8.*U\\+1FAE8"):
            render(doc_type, data, STAMP)


def test_without_symbola_an_emoji_refuses_the_print_naming_it(monkeypatch):
    monkeypatch.setattr("reports.fonts.SYSTEM_FALLBACKS", (str(HANAMIN_B),))
    data = replace(sample_order(sample_lines(6)), project_name="项目喆🏠")
    with pytest.raises(UnprintableCharacter, match="项目名称.*🏠"):
        render(TASK_ORDER, data, STAMP)


def test_a_configured_fallback_font_is_used(monkeypatch, tmp_path):
    # The primary font given again as an extra fallback: accepted, and it changes nothing.
    monkeypatch.setenv(FALLBACK_ENV, str(font_path()))
    assert font_chain(font_path())[0][1] == font_path()
    assert coverage(str(font_path()))


def test_the_printing_service_says_which_character(demo_db, actor_of):
    from sqlalchemy import update

    from models import TaskOrder
    from services.printing import documents as printing
    from services.task_orders import submit
    from tests.orders import ready_draft

    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=3)
    submit.submit(demo_db, clerk, order_id, buildings)
    with demo_db.write() as s:
        s.execute(update(TaskOrder).where(TaskOrder.id == order_id).values(project_name="项目\U0001FAE8"))
    with pytest.raises(ValidationError, match="项目名称.*\U0001FAE8.*无法打印"):
        printing.print_document(demo_db, clerk, "task-order", order_id)
