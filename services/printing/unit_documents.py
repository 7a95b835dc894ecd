"""打印 the 物业单位注册申请单 (BJ-05): the stored snapshot goes to the printed-document store like the task
order's documents, so 补打 (services.printing.documents.reprint) renders it again."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select

from models import Organisation, PrintedDocument, UnitApplication, User
from reports import UNIT_APPLICATION
from reports.data import Stamp
from reports.unit_application import UnitApplicationData, to_json
from services.core.actor import Actor
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound
from services.core.functions import require
from services.core.numbers import next_number
from services.core.profiles import PROFILES
from services.printing.documents import ALL_DOC_LABELS, LOG_PRINT, PrintedResult, _filename, _render, _store
from services.core.session_check import checked_write


def _masked_id(number: str) -> str:
    return number[:6] + "*" * max(len(number) - 10, 0) + number[-4:] if len(number) > 10 else number


def print_unit_application(db, actor: Actor, application_no: str, *, city: str = "北京市",
                           deliver: Callable[[bytes], None] | None = None) -> PrintedResult:
    """`deliver` as for services.printing.documents.print_document: the file is saved inside the
    transaction that records the print, so a file that cannot be saved records none."""
    require(actor, "unit_application")
    with checked_write(db, actor) as session:
        app = session.execute(select(UnitApplication).where(
            UnitApplication.application_no == application_no,
            UnitApplication.applicant_id == actor.user_id)).scalar_one_or_none()
        if app is None:
            raise NotFound("申请不存在")
        form = json.loads(app.data)
        user = session.get(User, app.applicant_id)
        authority = session.get(Organisation, app.authority_id)
        now = utcnow()
        data = UnitApplicationData(
            city=city, application_no=app.application_no, submitted_on=local_text(app.submitted_at, "%Y-%m-%d"),
            name=form["name"], org_code=form["org_code"], credit_code=form["credit_code"], address=form["address"],
            legal_rep_name=form["legal_rep_name"], legal_rep_id_type=form["legal_rep_id_type"],
            legal_rep_id_no=_masked_id(form["legal_rep_id_no"]), contact_name=form["contact_name"],
            contact_mobile=form["contact_mobile"], applicant=user.real_name, applicant_username=user.username or "",
            authority=authority.name if authority else form.get("authority", ""),
            due_on=f"{app.due_on:%Y-%m-%d}" if app.due_on else "")
        serial_no = next_number(session, "document", now)
        organisation_id = app.organisation_id
    pdf = _render(UNIT_APPLICATION, data, Stamp(serial_no, local_text(now)), None)
    label = f"{ALL_DOC_LABELS[UNIT_APPLICATION]} {data.application_no}"
    with checked_write(db, actor) as session:
        if deliver is not None:
            deliver(pdf)
        doc = PrintedDocument(serial_no=serial_no, doc_type=UNIT_APPLICATION, business_type="物业单位注册申请",
                              application_no=data.application_no, organisation_id=organisation_id,
                              printed_by=actor.user_id, printed_at=now, data=to_json(data))
        _store(session, actor, doc, LOG_PRINT, f"打印{label}，单据流水号{serial_no}", None)
    return PrintedResult(serial_no, _filename(UNIT_APPLICATION, data.application_no, serial_no), pdf, label)


def city_of(profile_key: str) -> str:
    return PROFILES[profile_key].city
