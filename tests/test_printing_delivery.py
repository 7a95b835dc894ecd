"""Printing from a screen records no print without its file (issue 9, C10): the PDF is written into the
downloads folder inside the transaction that records it, so an unwritable or full folder leaves
neither a printed-document row, nor a business-log row, nor a partial file."""

import errno
import os

import pytest
from sqlalchemy import func, select

from models import BusinessLog, PrintedDocument
from screens.common.deliver import PrintProgress
from services.printing import documents as printing
from tests.orders import ready_draft
from tests.pilot import settle, wait_for
from tests.test_task_order_flow import open_order_home


def _counts(db) -> tuple[int, int]:
    with db.read() as session:
        docs = session.execute(select(func.count()).select_from(PrintedDocument)).scalar_one()
        logs = session.execute(select(func.count()).select_from(BusinessLog)
                               .where(BusinessLog.business_type.in_((printing.LOG_PRINT, printing.LOG_REPRINT)))
                               ).scalar_one()
    return docs, logs


@pytest.fixture
def submitted(demo_db, actor_of):
    from services.task_orders import submit

    clerk = actor_of("qyjb")
    order_id, buildings = ready_draft(demo_db, clerk, houses=5)
    return submit.submit(demo_db, clerk, order_id, buildings).application_no


def _unwritable(tmp_path, how: str):
    """A downloads folder the app cannot write: under a regular file (even root cannot create it), or
    a read-only directory (only for a user that permissions apply to)."""
    if how == "under-a-file":
        (tmp_path / "not-a-folder").write_text("x")
        return tmp_path / "not-a-folder" / "Downloads"
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only directory; the case under a file covers root")
    folder = tmp_path / "Downloads"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("how", ["under-a-file", "read-only"])
async def test_an_unwritable_downloads_folder_records_no_print(make_demo_app, demo_db, submitted, tmp_path,
                                                              monkeypatch, how):
    folder = _unwritable(tmp_path, how)
    monkeypatch.setattr("screens.common.deliver.downloads_dir", lambda: folder)
    before = _counts(demo_db)
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order_home(pilot)
        await pilot.press("f7")  # 打印任务单
        await settle(pilot)
        assert await wait_for(pilot, lambda: not app.screen.query(PrintProgress))
        assert await wait_for(pilot, lambda: any("打印失败" in m for m in _messages(app)))
        shown = next(m for m in _messages(app) if "打印失败" in m)
        assert str(folder) in shown and "已保存" not in " ".join(_messages(app))
    assert _counts(demo_db) == before


async def test_a_full_disk_records_no_print_and_leaves_no_partial_file(make_demo_app, demo_db, submitted, tmp_path,
                                                                      monkeypatch):
    folder = tmp_path / "Downloads"
    monkeypatch.setattr("screens.common.deliver.downloads_dir", lambda: folder)
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    before = _counts(demo_db)
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order_home(pilot)
        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("f9")  # 打印到户明细业主签字表
        await settle(pilot)
        assert await wait_for(pilot, lambda: any("磁盘空间不足" in m for m in _messages(app)))
        monkeypatch.setattr(os, "fsync", real_fsync)
        assert _counts(demo_db) == before and list(folder.iterdir()) == []

        await pilot.press("f9")  # the disk has room again: printed, recorded, saved under its name
        await settle(pilot)
        assert await wait_for(pilot, lambda: any(folder.glob("*.pdf")))
    saved = list(folder.iterdir())
    assert len(saved) == 1 and saved[0].name.startswith(f"sign-sheet-{submitted}-")
    assert _counts(demo_db) == (before[0] + 1, before[1] + 1)
    with demo_db.read() as session:
        serial = session.execute(select(PrintedDocument.serial_no)).scalars().all()
    assert saved[0].name.endswith(f"{serial[-1]}.pdf")


async def test_a_reprint_into_an_unwritable_folder_records_no_reprint(make_demo_app, demo_db, actor_of, submitted,
                                                                    tmp_path, monkeypatch):
    from screens.records.reprint import ReprintScreen
    from tests.pilot import login
    from services.demo.accounts import DEMO_PASSWORD

    clerk = actor_of("qyjb")
    with demo_db.read() as session:
        from models import TaskOrder

        order_id = session.execute(select(TaskOrder.id).where(TaskOrder.application_no == submitted)).scalar_one()
    printing.print_document(demo_db, clerk, "task-order", order_id)
    folder = _unwritable(tmp_path, "under-a-file")
    monkeypatch.setattr("screens.common.deliver.downloads_dir", lambda: folder)
    before = _counts(demo_db)
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", DEMO_PASSWORD)
        await pilot.press("end", "enter")  # 补打, the last entry of the menu
        await settle(pilot)
        assert isinstance(app.screen, ReprintScreen)
        app.screen.query_one("#printed").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert await wait_for(pilot, lambda: any("打印失败" in m for m in _messages(app)))
    assert _counts(demo_db) == before
