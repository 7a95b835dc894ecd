"""打印 and 补打 (BJ-18, BJ-23, BY-05): the task order's documents, the printed-document store and
reprints.

A print reads the order and allocates the document's serial number in one short write
transaction, renders outside any transaction (a 5,000-house table takes a second or two, too
long to hold SQLite's write lock), then stores the PrintedDocument — with the exact data it was
rendered from — and the business-log row together in a second one. A render that fails leaves a
gap in the DY numbers and nothing else.

A reprint renders the stored data of the original again: the same document, marked 补打, with
the reprint time, however the order has changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlmodel import Session

from models import Organisation, PrintedDocument, TaskOrder, User
from reports import ARREARS, DOC_TYPES, SIGN_SHEET, TASK_ORDER, UNIT_APPLICATION
from reports.data import Stamp, from_json, to_json
from services.core.actor import Actor
from services.identity.auth import LoginResult, enter
from services.core.business_log import record_action
from services.core.clock import local_text, utcnow
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.functions import ORDER_ROLES, require
from services.core.numbers import next_number
from services.core.session_check import checked_read, checked_write
from services.printing.snapshot import order_data
from services.estate.scope import load_order
from services.task_orders.queries import STATUS_LABELS
from services.task_orders.submit import BUSINESS_SUBMIT

DOC_LABELS = {TASK_ORDER: "维修支取任务单", SIGN_SHEET: "分摊明细业主签字确认表", ARREARS: "欠款催缴通知单"}
# every document of the printed-document store, the task order's and the others (BJ-05's application form)
ALL_DOC_LABELS = {**DOC_LABELS, UNIT_APPLICATION: "物业单位注册申请单"}
LOG_PRINT, LOG_REPRINT = "打印单据", "补打单据"
PRINTABLE = ("submitted", "approved")
NO_ARREARS = "该任务单没有余额不足的房屋，无需打印欠款催缴通知单"
CLI_CHANNEL = "命令行"
PAGE_SIZE = 50
EXPORT_LIMIT = 200_000  # rows an export of one filter may hold (BY-06)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PrintedResult:
    serial_no: str
    filename: str
    pdf_bytes: bytes
    label: str  # what was printed, for the message: 维修支取任务单 WX…


@dataclass(frozen=True)
class PrintedRow:
    serial_no: str
    doc_type: str
    doc_label: str
    business_type: str
    application_no: str
    printed_at: str
    printed_by: str
    reprint_of: str  # the original's serial number when this row is a reprint


@dataclass(frozen=True)
class PrintedPage:
    rows: tuple[PrintedRow, ...]
    total: int
    page: int
    pages: int


def _filename(doc_type: str, application_no: str, serial_no: str) -> str:
    return f"{doc_type}-{application_no}-{serial_no}.pdf"


def _check_printable(order: TaskOrder) -> None:
    if order.status == "draft":
        raise ValidationError("草稿任务单不能打印，请先提交")
    if order.status not in PRINTABLE:
        raise ValidationError(f"该任务单{STATUS_LABELS[order.status]}，不能打印")


def _store(session: Session, actor: Actor, doc: PrintedDocument, business: str, summary: str,
           channel: str | None) -> None:
    session.add(doc)
    log = record_action(session, actor, business, application_no=doc.application_no, summary=summary,
                        detail={"serial_no": doc.serial_no, "doc_type": doc.doc_type})
    if channel:
        log.channel = channel


def _render(doc_type: str, data, stamp: Stamp, progress: Progress | None) -> bytes:
    from reports.fonts import UnprintableCharacter
    from services.printing.render_child import render_elsewhere

    try:
        # In a child process: the fonts' memory goes with it (services.printing.render_child).
        return render_elsewhere(doc_type, data, stamp, progress)
    except UnprintableCharacter as exc:  # never print with a character silently dropped
        raise ValidationError(str(exc)) from None


def print_document(db, actor: Actor, doc_type: str, order_id: int, *, progress: Progress | None = None,
                   channel: str | None = None, deliver: Callable[[bytes], None] | None = None) -> PrintedResult:
    """Print one document of a submitted order and keep what it was printed from. `deliver`, when
    given, saves the PDF inside the transaction that records the print: if it fails (a full disk),
    nothing is recorded."""
    if doc_type not in DOC_TYPES:
        raise ValidationError("未知的单据类型")
    with checked_write(db, actor) as session:
        order = load_order(session, actor, order_id)
        _check_printable(order)
        now = utcnow()
        data = order_data(session, order, doc_type, now)
        if doc_type == ARREARS and not data.lines:
            raise ValidationError(NO_ARREARS)
        serial_no = next_number(session, "document", now)
    pdf = _render(doc_type, data, Stamp(serial_no, local_text(now)), progress)
    label = f"{DOC_LABELS[doc_type]} {data.application_no}"
    with checked_write(db, actor) as session:
        if deliver is not None:
            deliver(pdf)
        doc = PrintedDocument(serial_no=serial_no, doc_type=doc_type, business_type=BUSINESS_SUBMIT,
                              application_no=data.application_no, organisation_id=actor.organisation_id,
                              printed_by=actor.user_id, printed_at=now, data=to_json(data))
        _store(session, actor, doc, LOG_PRINT, f"打印{label}，单据流水号{serial_no}", channel)
    return PrintedResult(serial_no, _filename(doc_type, data.application_no, serial_no), pdf, label)


def reprint(db, actor: Actor, serial_no: str, *, progress: Progress | None = None,
            channel: str | None = None, deliver: Callable[[bytes], None] | None = None) -> PrintedResult:
    """补打: the stored data of the original print rendered again, recorded as a new document;
    `deliver` as for print_document (a file that cannot be saved records no reprint)."""
    require(actor, "reprint")
    wanted = serial_no.strip().upper()
    with checked_write(db, actor) as session:
        doc = session.execute(select(PrintedDocument).where(PrintedDocument.serial_no == wanted)).scalar()
        if doc is None or doc.organisation_id != actor.organisation_id:
            raise NotFound("单据不存在或不属于本单位")
        original = session.get(PrintedDocument, doc.reprint_of_id) if doc.reprint_of_id else doc
        now = utcnow()
        new_serial = next_number(session, "document", now)
    # The footer names this copy's own serial number, as the toast and the file name do, and the original's.
    stamp = Stamp(original.serial_no, local_text(now), reprint=True, copy_serial_no=new_serial)
    pdf = _render(original.doc_type, _stored_data(original), stamp, progress)
    label = f"{ALL_DOC_LABELS[original.doc_type]} {original.application_no}"
    with checked_write(db, actor) as session:
        if deliver is not None:
            deliver(pdf)
        copy = PrintedDocument(serial_no=new_serial, doc_type=original.doc_type,
                               business_type=original.business_type, application_no=original.application_no,
                               organisation_id=actor.organisation_id, printed_by=actor.user_id, printed_at=now,
                               reprint_of_id=original.id, data=original.data)
        _store(session, actor, copy, LOG_REPRINT, f"补打{label}，原单据流水号{original.serial_no}", channel)
    return PrintedResult(new_serial, _filename(original.doc_type, original.application_no, new_serial), pdf,
                         f"{label}（补打）")


def _stored_data(doc: PrintedDocument):
    if doc.doc_type == UNIT_APPLICATION:
        from reports.unit_application import from_json as unit_from_json

        return unit_from_json(doc.data)
    return from_json(doc.data)


def list_printed(db, actor: Actor, serial_no: str = "", doc_type: str = "", business_type: str = "",
                 page: int = 1, page_size: int = PAGE_SIZE) -> PrintedPage:
    """The organisation's printed documents, newest first: only its own, whoever printed them."""
    require(actor, "reprint")
    if doc_type and doc_type not in ALL_DOC_LABELS:
        raise ValidationError("未知的单据类型", field="doc_type")
    original = select(PrintedDocument.id, PrintedDocument.serial_no).subquery()
    conditions = [PrintedDocument.organisation_id == actor.organisation_id]
    if serial_no.strip():
        # a serial number finds the document and its reprints
        wanted = serial_no.strip().upper()
        conditions.append(or_(PrintedDocument.serial_no.contains(wanted, autoescape=True),
                              original.c.serial_no.contains(wanted, autoescape=True)))
    if doc_type:
        conditions.append(PrintedDocument.doc_type == doc_type)
    if business_type.strip():
        conditions.append(PrintedDocument.business_type == business_type.strip())
    with checked_read(db, actor) as session:
        total = session.execute(
            select(func.count()).select_from(PrintedDocument)
            .outerjoin(original, PrintedDocument.reprint_of_id == original.c.id).where(*conditions)
        ).scalar_one()
        pages = max(1, -(-total // page_size))
        page = min(max(page, 1), pages)
        rows = session.execute(
            select(PrintedDocument.serial_no, PrintedDocument.doc_type, PrintedDocument.business_type,
                   PrintedDocument.application_no, PrintedDocument.printed_at, User.real_name, original.c.serial_no)
            .join(User, PrintedDocument.printed_by == User.id)
            .outerjoin(original, PrintedDocument.reprint_of_id == original.c.id)
            .where(*conditions)
            .order_by(PrintedDocument.printed_at.desc(), PrintedDocument.id.desc())
            .limit(page_size).offset((page - 1) * page_size)
        ).all()
    return PrintedPage(
        tuple(PrintedRow(serial, kind, ALL_DOC_LABELS.get(kind, kind), business, number or "", local_text(at), name,
                         of or "") for serial, kind, business, number, at, name, of in rows),
        total, page, pages,
    )


def command_line_actor(db, login: LoginResult, application_no: str) -> tuple[Actor, int]:
    """Who prints from the command line (C9): the user named with --user, authenticated with their
    password, acting under the identity of theirs that may see the order, with that identity's
    permissions; the business log names them, with the channel 命令行."""
    wanted = application_no.strip().upper()
    with db.read() as session:
        order = session.execute(select(TaskOrder).where(TaskOrder.application_no == wanted)).scalar()
        owners = {order.organisation_id} if order is not None else set()
        if order is not None:
            parent = session.execute(select(Organisation.parent_id)
                                     .where(Organisation.id == order.organisation_id)).scalar()
            if parent is not None:
                owners.add(parent)
    if order is None:
        raise NotFound(f"申请编号 {wanted} 不存在")
    choice = next((i for i in login.identities if i.organisation_id in owners and i.role in ORDER_ROLES), None)
    if choice is None:
        raise PermissionDenied(f"用户 {login.username} 无权打印申请编号 {wanted} 的单据：只有该任务单所属单位的经办人可以打印")
    return enter(db, login, choice.identity_id), order.id
