"""Rare characters are printed from a fallback font or the print is refused, never dropped (issue 9, E14)."""

from dataclasses import replace

import pytest

from reports import ARREARS, SIGN_SHEET, TASK_ORDER, render
from reports.fonts import FALLBACK_ENV, UnprintableCharacter, coverage, font_chain
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


def test_an_emoji_in_the_project_name_refuses_every_document():
    data = replace(sample_order(sample_lines(6)), project_name="项目喆🏠")
    for doc_type in (TASK_ORDER, SIGN_SHEET, ARREARS):
        with pytest.raises(UnprintableCharacter, match="项目名称.*🏠"):
            render(doc_type, data, STAMP)


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
        s.execute(update(TaskOrder).where(TaskOrder.id == order_id).values(project_name="项目🏠"))
    with pytest.raises(ValidationError, match="项目名称.*🏠.*无法打印"):
        printing.print_document(demo_db, clerk, "task-order", order_id)
