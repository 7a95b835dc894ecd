"""Printable documents: pure functions from plain data (reports.data) to PDF bytes.

No database, no Textual: the services build the data and store it, so a reprint renders exactly
what was printed the first time.
"""

from __future__ import annotations

from collections.abc import Callable

from reports.data import OrderData, Stamp

TASK_ORDER, SIGN_SHEET, ARREARS = "task-order", "sign-sheet", "arrears"
DOC_TYPES = (TASK_ORDER, SIGN_SHEET, ARREARS)
UNIT_APPLICATION = "unit-application"  # 物业单位注册申请单 (BJ-05): its data is reports.unit_application's


def render(doc_type: str, data: OrderData, stamp: Stamp,
           progress: Callable[[int, int], None] | None = None) -> bytes:
    """The PDF of one document; `progress(done, total)` hears about long tables as they grow.

    The document modules (fpdf2, fontTools, segno) load on the first print, not with the
    screens and services that only name document types.

    Raises reports.fonts.UnprintableCharacter, naming the character and the field, when no
    font has a character of the data: a document never drops one."""
    from reports.fonts import check_printable, font_chain
    from reports.frame import font_path

    check_printable(data, font_chain(font_path()))
    if doc_type == TASK_ORDER:
        from reports import task_order

        return task_order.render(data, stamp)
    if doc_type == SIGN_SHEET:
        from reports import sign_sheet

        return sign_sheet.render(data, stamp, progress)
    if doc_type == ARREARS:
        from reports import arrears

        return arrears.render(data, stamp)
    if doc_type == UNIT_APPLICATION:
        from reports import unit_application

        return unit_application.render(data, stamp)
    raise ValueError(f"unknown document type: {doc_type}")
