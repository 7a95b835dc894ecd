"""补打 at the terminal: keys only, the file lands in the downloads folder."""

import pytest
from sqlalchemy import select

from models import PrintedDocument
from screens.common.deliver import PrintProgress
from screens.records.reprint import ReprintScreen
from services.printing import documents as printing
from services.demo.accounts import DEMO_PASSWORD
from tests.orders import ready_draft
from tests.pdf_text import pdf_pages
from tests.pilot import login, settle, type_text


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    """Textual's downloads folder (platformdirs: ~/Downloads) moved into the test's directory."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return tmp_path / "home" / "Downloads"


@pytest.fixture
def printed(demo_db, actor_of):
    """A submitted order of qyjb's with its task order and signature table printed."""
    from services.task_orders import submit

    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk)
    submit.submit(demo_db, clerk, order_id, buildings)
    return [printing.print_document(demo_db, clerk, kind, order_id) for kind in ("task-order", "sign-sheet")]


async def test_reprint_screen_filters_and_delivers_the_file(demo_db, demo_url, printed, downloads):
    from tui.app import WxzjApp
    from tui.config import Config

    task_order, sheet = printed
    app = WxzjApp(Config(database_url=demo_url), database=demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("end", "enter")  # 补打, the last entry of the menu
        await settle(pilot)
        assert isinstance(app.screen, ReprintScreen)
        table = app.screen.query_one("#printed")
        assert table.row_count == 2

        await pilot.press("f3")  # 单据类型：任务单
        await settle(pilot)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [task_order.serial_no]
        await pilot.press("f3")  # 签字确认表
        await type_text(pilot, sheet.serial_no[-6:])
        await pilot.press("enter")  # search, then to the table
        await settle(pilot)
        assert table.has_focus and table.row_count == 1
        await pilot.press("enter")  # 补打 the selected document
        await settle(pilot)

        saved = list(downloads.iterdir())
        assert len(saved) == 1 and saved[0].name.startswith("sign-sheet-WX")
        pages = pdf_pages(saved[0].read_bytes())
        assert not app.screen.query(PrintProgress)  # the progress line is gone
        assert table.row_count == 2  # the list shows the reprint too
        assert table.get_row_at(0)[5].plain == sheet.serial_no
        with demo_db.read() as session:
            copy = session.execute(select(PrintedDocument).where(PrintedDocument.reprint_of_id.is_not(None))
                                   ).scalar_one()
        # footer, file name and list agree on the copy's own number (issue 9, F22)
        assert all("补打" in page and f"单据流水号：{copy.serial_no}（原{sheet.serial_no}）" in page for page in pages)
        assert saved[0].name.endswith(f"{copy.serial_no}.pdf")

        await pilot.press("escape")
        assert not isinstance(app.screen, ReprintScreen)


async def test_start_print_reports_a_document_that_does_not_apply(demo_db, demo_url, actor_of, downloads,
                                                                   monkeypatch):
    from screens.common.deliver import start_print
    from services.task_orders import submit
    from tui.app import WxzjApp
    from tui.config import Config

    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=3, amount="0.03")
    assert submit.submit(demo_db, clerk, order_id, buildings).arrears_count == 0
    app = WxzjApp(Config(database_url=demo_url), database=demo_db)
    notes = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append((message, kw.get("severity"))))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        start_print(app.screen, "arrears", order_id)
        await settle(pilot)
        assert notes == [("该任务单没有余额不足的房屋，无需打印欠款催缴通知单", "error")]
        start_print(app.screen, "task-order", order_id)
        await settle(pilot)
        assert notes[-1][0] == f"已保存到：{next(downloads.iterdir())}"
        assert not app.screen.query(PrintProgress)


class _FakeApp:
    """What deliver_pdf uses of the App, recorded."""

    def __init__(self, is_web: bool) -> None:
        self.is_web = is_web
        self.calls = []

    def call_from_thread(self, callback, *args, **kwargs):
        return callback(*args, **kwargs)

    def deliver_binary(self, file, **kwargs):
        self.calls.append(("deliver", file.read(), kwargs))

    def notify(self, message, **kwargs):
        self.calls.append(("notify", message, kwargs["title"]))


def test_deliver_pdf_downloads_in_the_browser_and_saves_in_a_terminal(downloads):
    from screens.common.deliver import deliver_pdf

    result = printing.PrintedResult("DY20260315000007", "task-order-WX1-DY20260315000007.pdf", b"%PDF-1.7 x",
                                    "维修支取任务单 WX1")
    web = _FakeApp(is_web=True)
    assert deliver_pdf(web, result) == "已开始下载：task-order-WX1-DY20260315000007.pdf"
    assert web.calls[0] == ("deliver", b"%PDF-1.7 x", {"save_filename": result.filename,
                                                       "open_method": "download", "mime_type": "application/pdf"})
    terminal = _FakeApp(is_web=False)
    message = deliver_pdf(terminal, result)
    assert (downloads / result.filename).read_bytes() == b"%PDF-1.7 x"
    assert terminal.calls == [("notify", message, "维修支取任务单 WX1 单据流水号 DY20260315000007")]
