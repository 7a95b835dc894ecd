"""The shape the filed forms share (任务单, 物业单位注册申请单): label/value rows on a grid over the page's
width, then two boxes side by side for the applicant's and the department's opinion, signatures and seal."""

from __future__ import annotations

from reports.data import Stamp
from reports.frame import BODY_BOTTOM, BODY_TOP, LEFT, WIDTH, FormPDF

LABEL, VALUE = 34.0, 56.0  # a row of two label/value pairs spans WIDTH
WIDE = WIDTH - LABEL
SIGN_H = 52.0

Row = tuple[list[tuple[float, str, str]], float]  # the row's cells and its least height


def pair(label1: str, value1: str, label2: str, value2: str, min_h: float) -> Row:
    return [(LABEL, label1, "label"), (VALUE, value1, "text"), (LABEL, label2, "label"), (VALUE, value2, "text")], min_h


def wide(label: str, value: str, min_h: float) -> Row:
    return [(LABEL, label, "label"), (WIDE, value, "text")], min_h


def _opinion_box(pdf: FormPDF, x: float, y: float, w: float, heading: str, chief: bool) -> None:
    pdf.rect(x, y, w, SIGN_H)
    pdf.put_in(x, y + 1, w, pdf.height_for(heading, w, 10.5), heading, 10.5)
    bottom = y + SIGN_H
    pdf.put(x + 4, bottom - 19, "经办人（签字）：", 10.5)
    if chief:
        pdf.put(x + w / 2 + 2, bottom - 19, "负责人（签字）：", 10.5)
    pdf.put(x + w - 26, bottom - 10, "（盖章）", 10.5)
    pdf.put(x + w - 40, bottom - 3.5, "年　　　月　　　日", 10.5)


def render_form(title: str, application_no: str, stamp: Stamp, rows: list[Row], applicant_heading: str,
                department_heading: str, *, chief: bool) -> bytes:
    """`chief`: the boxes have a 负责人 signature besides the 经办人's."""
    pdf = FormPDF(title, application_no, stamp)
    pdf.add_page()
    y = BODY_TOP
    for cells, min_h in rows:
        y = pdf.grid_row(y, cells, min_h=min_h)
    if y + 6 + SIGN_H > BODY_BOTTOM:  # the boxes are never split from each other
        pdf.add_page()
        y = BODY_TOP
    y += 4
    half = WIDTH / 2
    _opinion_box(pdf, LEFT, y, half, applicant_heading, chief)
    _opinion_box(pdf, LEFT + half, y, half, department_heading, chief)
    return bytes(pdf.output())
