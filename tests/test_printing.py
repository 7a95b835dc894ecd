"""打印 and 补打 through the services and the command line, over the demo database."""

import re

import pytest
from sqlalchemy import select, update

from models import BusinessLog, PrintedDocument, TaskOrderLine, User
from services.printing import documents as printing
from services.task_orders import drafts
from services.task_orders import submit
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.money import format_area, format_fen
from services.task_orders.queries import order_detail
from tests.orders import ready_draft
from tests.pdf_text import pdf_pages, pdf_text
from services.demo.accounts import DEMO_PASSWORD
from tui.cli import main

pytestmark = pytest.mark.both_backends

MARKS = re.compile(r"补打时间|打印时间|补打|\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}|单据流水号：DY\d+(（原DY\d+）)?")


def _submitted(db, actor, *, arrears: bool = True) -> tuple[int, str]:
    """A submitted order; with arrears=False only houses whose balance covers their share."""
    if arrears:
        order_id, buildings = ready_draft(db, actor, buildings=2)
    else:
        order_id, buildings = ready_draft(db, actor, houses=20, amount="1")
        empty = [c.house_id for c in drafts.building_grid(db, actor, order_id, buildings[0]).cells
                 if c.saved and drafts.house_card(db, actor, order_id, c.house_id).available_fen == 0]
        if empty:
            drafts.remove_houses(db, actor, order_id, empty)
            drafts.fill_totals(db, actor, order_id, buildings)
            drafts.compute_rate(db, actor, order_id)
    result = submit.submit(db, actor, order_id, buildings)
    assert bool(result.arrears_count) == arrears
    return order_id, result.application_no


@pytest.fixture
def clerk(actor_of):
    return actor_of("qyjb")


@pytest.fixture
def order(demo_db, clerk):
    return _submitted(demo_db, clerk)


def test_each_document_is_printed_stored_and_logged(demo_db, clerk, order):
    order_id, number = order
    detail = order_detail(demo_db, clerk, order_id)
    results = {kind: printing.print_document(demo_db, clerk, kind, order_id) for kind in printing.DOC_LABELS}
    task = pdf_text(results["task-order"].pdf_bytes)
    assert task.startswith("北京市住宅专项维修资金维修支取任务单") and f"申请编号：{number}" in task
    assert f"{detail.row.households}户" in task and format_fen(detail.row.amount) in task
    assert "人民币伍万元整" in task  # ready_draft applies for 50,000 元
    sheet = pdf_pages(results["sign-sheet"].pdf_bytes)
    assert f"合计（{detail.row.households}户）" in sheet[-1]
    assert format_fen(detail.total_share) in sheet[-1] and format_fen(detail.total_arrears) in sheet[-1]
    notices = pdf_text(results["arrears"].pdf_bytes)
    assert notices.count("尊敬的") == detail.arrears_count
    with demo_db.read() as session:
        docs = session.execute(select(PrintedDocument).order_by(PrintedDocument.id)).scalars().all()
        logs = session.execute(select(BusinessLog).where(BusinessLog.business_type == printing.LOG_PRINT)).scalars()
        logs = list(logs)
    assert [d.doc_type for d in docs] == list(printing.DOC_LABELS)
    assert [d.serial_no for d in docs] == [r.serial_no for r in results.values()]
    assert all(re.fullmatch(r"DY\d{14}", d.serial_no) for d in docs)
    assert {(d.organisation_id, d.printed_by, d.application_no, d.business_type) for d in docs} == {
        (clerk.organisation_id, clerk.user_id, number, "维修支取申请")}
    assert [log.application_no for log in logs] == [number] * 3
    assert all(d.serial_no in log.summary for d, log in zip(docs, logs))
    assert results["sign-sheet"].filename == f"sign-sheet-{number}-{docs[1].serial_no}.pdf"


def test_the_sign_sheet_snapshot_keeps_every_line(demo_db, clerk, order):
    order_id, _ = order
    result = printing.print_document(demo_db, clerk, "sign-sheet", order_id)
    with demo_db.read() as session:
        data = session.execute(select(PrintedDocument.data)).scalar_one()
        lines = session.execute(select(TaskOrderLine).where(TaskOrderLine.task_order_id == order_id)).scalars().all()
    assert data.count("],[") == len(lines) - 1
    text = pdf_text(result.pdf_bytes)
    assert all(line.owner_name in text for line in lines)
    assert format_area(sum(x.area for x in lines)) in text


def test_arrears_notices_need_a_short_house(demo_db, clerk):
    order_id, _ = _submitted(demo_db, clerk, arrears=False)
    with pytest.raises(ValidationError) as err:
        printing.print_document(demo_db, clerk, "arrears", order_id)
    assert err.value.message == "该任务单没有余额不足的房屋，无需打印欠款催缴通知单"
    with demo_db.read() as session:
        assert session.execute(select(PrintedDocument)).first() is None


def test_drafts_and_withdrawn_orders_are_not_printed(demo_db, clerk):
    draft_id, _ = ready_draft(demo_db, clerk)
    with pytest.raises(ValidationError, match="草稿任务单不能打印，请先提交"):
        printing.print_document(demo_db, clerk, "task-order", draft_id)
    order_id, _ = _submitted(demo_db, clerk)
    submit.withdraw(demo_db, clerk, [order_id])
    with pytest.raises(ValidationError, match="该任务单已撤销，不能打印"):
        printing.print_document(demo_db, clerk, "sign-sheet", order_id)
    with pytest.raises(ValidationError, match="未知的单据类型"):
        printing.print_document(demo_db, clerk, "receipt", order_id)


def test_reprint_renders_what_was_printed_even_after_the_order_changed(demo_db, clerk, order):
    order_id, number = order
    first = printing.print_document(demo_db, clerk, "sign-sheet", order_id)
    with demo_db.write() as session:  # the data changes after the print …
        session.execute(update(TaskOrderLine).where(TaskOrderLine.task_order_id == order_id)
                        .values(owner_name="改过的名字"))
    submit.withdraw(demo_db, clerk, [order_id])
    again = printing.reprint(demo_db, clerk, first.serial_no.lower())
    # … the reprint still shows the original, marked 补打 on every page, with its own serial
    original, reprinted = pdf_pages(first.pdf_bytes), pdf_pages(again.pdf_bytes)
    assert len(original) == len(reprinted)
    # the footer, the toast and the file name agree on the copy's serial (issue 9, F22)
    assert all("补打" in page and f"单据流水号：{again.serial_no}（原{first.serial_no}）" in page
               for page in reprinted)
    assert again.serial_no in again.filename
    assert MARKS.sub("", "".join(original)) == MARKS.sub("", "".join(reprinted))
    assert "改过的名字" not in "".join(reprinted)
    third = printing.reprint(demo_db, clerk, again.serial_no)  # a reprint of a reprint: of the original
    with demo_db.read() as session:
        docs = {d.serial_no: d for d in session.execute(select(PrintedDocument)).scalars()}
        log = session.execute(select(BusinessLog).where(BusinessLog.business_type == printing.LOG_REPRINT)).scalars()
        log = list(log)
    assert docs[again.serial_no].reprint_of_id == docs[third.serial_no].reprint_of_id == docs[first.serial_no].id
    assert docs[again.serial_no].data == docs[first.serial_no].data
    assert len(log) == 2 and all(first.serial_no in entry.summary for entry in log)
    assert again.filename == f"sign-sheet-{number}-{again.serial_no}.pdf" and again.label.endswith("（补打）")


def test_each_organisation_sees_and_reprints_only_its_own(demo_db, clerk, order, actor_of):
    order_id, _ = order
    mine = printing.print_document(demo_db, clerk, "task-order", order_id)
    other = actor_of("duoshenfen")
    with pytest.raises(NotFound):
        printing.print_document(demo_db, other, "task-order", order_id)
    with pytest.raises(NotFound):
        printing.reprint(demo_db, other, mine.serial_no)
    assert printing.list_printed(demo_db, other).total == 0
    with pytest.raises(PermissionDenied):
        printing.list_printed(demo_db, actor_of("shenhe"))
    with pytest.raises(PermissionDenied):
        printing.print_document(demo_db, actor_of("shenhe"), "task-order", order_id)


def test_the_list_filters_and_pages(demo_db, clerk, order):
    order_id, number = order
    printed = [printing.print_document(demo_db, clerk, kind, order_id) for kind in ("task-order", "sign-sheet")]
    printing.reprint(demo_db, clerk, printed[0].serial_no)
    everything = printing.list_printed(demo_db, clerk)
    assert everything.total == 3 and everything.rows[0].reprint_of == printed[0].serial_no
    assert {r.application_no for r in everything.rows} == {number}
    assert everything.rows[0].printed_by == clerk.real_name
    assert [r.serial_no for r in printing.list_printed(demo_db, clerk, serial_no=printed[1].serial_no[-4:]).rows] \
        == [printed[1].serial_no]
    with_reprint = printing.list_printed(demo_db, clerk, serial_no=printed[0].serial_no)  # and its reprints
    assert [r.reprint_of for r in with_reprint.rows] == [printed[0].serial_no, ""]
    sheets = printing.list_printed(demo_db, clerk, doc_type="sign-sheet")
    assert [r.doc_label for r in sheets.rows] == ["分摊明细业主签字确认表"]
    assert printing.list_printed(demo_db, clerk, business_type="物业区域关联").total == 0
    with pytest.raises(ValidationError):
        printing.list_printed(demo_db, clerk, doc_type="receipt")
    assert printing.list_printed(demo_db, clerk, page=9).page == 1


def test_command_line_prints_as_the_named_clerk(demo_db, demo_url, clerk, order, tmp_path, capsys, monkeypatch):
    _, number = order
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "任务单.pdf"
    monkeypatch.setenv("WXZJ_PASSWORD", DEMO_PASSWORD)
    assert main(["--database-url", demo_url, "print", "task-order", number.lower(), "-o", str(out),
                 "--user", "qyjb"]) == 0
    assert pdf_text(out.read_bytes()).startswith("北京市住宅专项维修资金维修支取任务单")
    assert "单据流水号 DY" in capsys.readouterr().out
    with demo_db.read() as session:
        doc = session.execute(select(PrintedDocument)).scalar_one()
        log = session.execute(select(BusinessLog).where(BusinessLog.business_type == printing.LOG_PRINT)).scalar_one()
        creator = session.execute(select(User.real_name).where(User.id == doc.printed_by)).scalar_one()
    assert (log.channel, doc.organisation_id, creator) == ("命令行", clerk.organisation_id, clerk.real_name)
    assert [p.name for p in out.parent.iterdir()] == ["任务单.pdf"]  # no partial file left


def test_command_line_refusals_exit_with_2(demo_db, demo_url, clerk, tmp_path, capsys, monkeypatch):
    _, number = _submitted(demo_db, clerk, arrears=False)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "notices.pdf"
    monkeypatch.setenv("WXZJ_PASSWORD", DEMO_PASSWORD)
    assert main(["--database-url", demo_url, "print", "arrears", number, "-o", str(out), "--user", "qyjb"]) == 2
    assert "无需打印欠款催缴通知单" in capsys.readouterr().err
    assert main(["--database-url", demo_url, "print", "sign-sheet", "WX19990101000001", "-o", str(out),
                 "--user", "qyjb"]) == 2
    err = capsys.readouterr().err
    assert "申请编号 WX19990101000001 不存在" in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []
    with pytest.raises(SystemExit) as exit_:
        main(["--database-url", demo_url, "print", "receipt", number, "-o", str(out), "--user", "qyjb"])
    assert exit_.value.code == 2
