"""补打 at the terminal: keys only, the file lands in the downloads folder."""

import pytest
from sqlalchemy import select

from models import PrintedDocument
from screens.deliver import PrintProgress
from screens.reprint import ReprintScreen
from services import printing
from services.demo_accounts import DEMO_PASSWORD
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
    from services import task_order_submit as submit

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
        assert all("补打" in page and f"单据流水号：{sheet.serial_no}" in page for page in pages)
        assert not app.screen.query(PrintProgress)  # the progress line is gone
        assert table.row_count == 2  # the list shows the reprint too
        assert table.get_row_at(0)[5].plain == sheet.serial_no
        with demo_db.read() as session:
            copy = session.execute(select(PrintedDocument).where(PrintedDocument.reprint_of_id.is_not(None))
                                   ).scalar_one()
        assert saved[0].name.endswith(f"{copy.serial_no}.pdf")

        await pilot.press("escape")
        assert not isinstance(app.screen, ReprintScreen)
