"""物业区域关联 at 80×24 with keys only: search, tick, attach a real PDF and a renamed text file (refused),
submit; the district's reviewer opens an attachment and approves; the community appears in 新建任务单."""

import pytest
from sqlalchemy import select

from models import Association, AssociationApplication, Attachment
from screens.common.dialogs import NoticeDialog
from screens.common.file_picker import FilePickerDialog, FilteredTree
from screens.estate.association import AssociationScreen
from screens.estate.association_files import AttachmentsScreen
from screens.review.associations import AssociationQueueScreen, AssociationReviewScreen
from screens.task_orders.community_select import CommunitySelectScreen
from services.demo.accounts import DEMO_PASSWORD
from services.estate import association as assoc
from tests.files import pdf_bytes, png_bytes, write
from tests.pilot import login, settle, text_of, type_text, wait_for

SIZE = (80, 24)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """The clerk's files, and the folder the picker opens at."""
    place = tmp_path / "scans"
    write(place, "a合同.pdf", pdf_bytes("contract"))
    write(place, "b执照.png", png_bytes())
    write(place, "c假的.pdf", "只是文本".encode())
    write(place, "d委托书.pdf", pdf_bytes("power of attorney"))
    monkeypatch.chdir(place)
    return place


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return tmp_path / "home" / "Downloads"


async def _pick(pilot, app, row: int) -> None:
    """In the picker: the file on tree line `row` (line 0 is the folder itself)."""
    assert isinstance(app.screen, FilePickerDialog)
    tree = app.screen.query_one(FilteredTree)
    assert await wait_for(pilot, lambda: len(tree.root.children) == 4)
    tree.move_cursor_to_line(row)
    await pilot.press("enter")
    await settle(pilot)


async def _open_menu(pilot, app, key: str) -> None:
    menu = app.screen.query_one("#menu")
    ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
    await pilot.press(*["down"] * ids.index(key), "enter")
    await settle(pilot)


async def test_apply_review_and_open_the_community_for_task_orders(make_demo_app, demo_db, folder, downloads,
                                                                 tmp_path):
    app = make_demo_app(data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await _open_menu(pilot, app, "association")
        assert isinstance(app.screen, AssociationScreen)
        await type_text(pilot, "城建")
        await pilot.press("enter", "enter")  # to 所属区县 (全部区县), then search
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#communities")
        assert table.row_count == len(screen.rows) > 0 and table.has_focus
        first = screen.rows[0]
        assert not first.state and table.get_row_at(0)[0] == "[ ]"
        await pilot.press("f2")
        assert "请先勾选" in text_of(app, "#assoc-message")
        await pilot.press("space")
        assert table.get_row_at(0)[0] == "[√]"  # readable without colour
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        files = app.screen

        await pilot.press("f5")  # nothing attached yet, and no 跳过
        await settle(pilot)
        assert "请添加附件" in text_of(app, "#files-message")
        await pilot.press("f2")  # 物业服务合同: first the text file renamed .pdf
        await settle(pilot)
        await _pick(pilot, app, 3)
        assert isinstance(app.screen, FilePickerDialog)
        assert "不是 PDF/JPG/PNG 格式" in text_of(app, "#picker-message")
        await _pick(pilot, app, 1)  # the real contract
        assert app.screen is files
        await pilot.press("down", "f2")  # 营业执照副本
        await settle(pilot)
        await _pick(pilot, app, 2)
        await pilot.press("down", "f2")  # 授权委托书
        await settle(pilot)
        await _pick(pilot, app, 4)
        table = files.query_one("#files")
        assert [table.get_row_at(i)[1] for i in range(3)] == ["a合同.pdf", "b执照.png", "d委托书.pdf"]
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog) and app.screen.title_text == "业务办理完成"
        assert "三个工作日" in app.screen.body
        await pilot.press("enter")
        await settle(pilot)

    with demo_db.read() as s:
        application = s.execute(select(AssociationApplication)).scalars().one()
        stored = s.execute(select(Attachment).where(Attachment.application_no == application.application_no)
                           ).scalars().all()
    assert [a.filename for a in stored] == ["a合同.pdf", "b执照.png", "d委托书.pdf"]
    assert all((tmp_path / "data" / "attachments" / a.sha256[:2] / a.sha256).is_file() for a in stored)
    assert all(a.content is None for a in stored)

    reviewer = f"shenhe{_district_code(demo_db, application.district_id)}"
    app = make_demo_app(data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, reviewer, DEMO_PASSWORD)
        await _open_menu(pilot, app, "association_review")
        assert isinstance(app.screen, AssociationQueueScreen)
        assert app.screen.query_one("#queue").get_row_at(0)[0] == application.application_no
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AssociationReviewScreen)
        await pilot.press("enter")  # the first attachment, delivered like a printed document
        await settle(pilot)
        assert await wait_for(pilot, lambda: downloads.exists() and any(downloads.iterdir()))
        saved = next(downloads.iterdir())
        assert saved.read_bytes().startswith(b"%PDF-") and saved.name.startswith(application.application_no)
        await pilot.press("f2", "y")
        await settle(pilot)
        assert isinstance(app.screen, AssociationQueueScreen)

    with demo_db.read() as s:
        assert s.execute(select(Association.status).where(Association.application_id == application.id)
                         ).scalar_one() == "approved"

    app = make_demo_app(data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await _open_menu(pilot, app, "task_orders")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CommunitySelectScreen)
        assert first.community_id in {c.community_id for c in app.screen.cards}


async def test_skip_sends_the_paper_and_a_return_reaches_the_enterprise(make_demo_app, demo_db, actor_of, tmp_path):
    app = make_demo_app(data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await _open_menu(pilot, app, "association")
        await type_text(pilot, "城建")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("space", "f2")
        await settle(pilot)
        await pilot.press("f3")  # 跳过
        await settle(pilot)
        assert "持实体材料" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        assert "请持实体材料至所在区的管理部办理" in app.screen.body
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#communities")
        assert table.get_row_at(0)[4] == "审核中"

    from services.review import associations as review

    with demo_db.read() as s:
        application = s.execute(select(AssociationApplication)).scalars().one()
    assert application.paper_materials
    reviewer = actor_of(f"shenhe{_district_code(demo_db, application.district_id)}")
    review.return_application(demo_db, reviewer, application.id, application.version, "请补交授权委托书")

    app = make_demo_app(data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        await _open_menu(pilot, app, "association")
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        assert "审批退回" in app.screen.body and "请补交授权委托书" in app.screen.body


def _district_code(db, district_id: int) -> str:
    from models import District

    with db.read() as s:
        return s.get(District, district_id).code
