"""数据导入 at the terminal: type the path, check, read the report, import only the valid rows."""

import pytest
from sqlalchemy import func, select

from models import House, LedgerEntry
from screens.transfer.import_screen import ImportScreen
from services.transfer import importer
from tests.builders import PASSWORD
from tests.pilot import login, settle, type_text, wait_for
from tests.transfer_files import BUILDINGS, COMMUNITIES, header, house_rows, write_xlsx


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return tmp_path / "home" / "Downloads"


@pytest.fixture
def admin(db, build, tmp_path):
    build.district("朝阳区")
    build.user("root", roles=(("sysadmin", None),))
    from services.identity import auth

    result = auth.authenticate(db, "root", PASSWORD)
    actor = auth.enter(db, result, result.identities[0].identity_id)
    for kind, rows in (("communities", COMMUNITIES), ("buildings", BUILDINGS)):
        importer.import_file(db, actor, kind, write_xlsx(tmp_path / f"{kind}.xlsx", header(kind), rows))
    return actor


def _count(db, model):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


async def test_check_report_and_import_only_the_valid_rows(make_app, db, admin, tmp_path, downloads):
    rows = house_rows(5)
    rows[1] = rows[1][:8] + ("-5",) + rows[1][9:]
    path = write_xlsx(tmp_path / "houses.xlsx", header("houses"), rows)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "root", PASSWORD)
        await pilot.press("end", "enter")  # 数据导入, the last entry of the menu
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        screen = app.screen
        await pilot.press("f2")  # nothing checked yet: the key is not offered
        assert _count(db, House) == 0 and type(app.screen) is ImportScreen
        await type_text(pilot, str(path))
        await pilot.press("f5")
        assert await wait_for(pilot, lambda: screen.result is not None)
        await settle(pilot)
        table = screen.query_one("#issues")
        assert table.row_count == 1 and table.get_row_at(0)[3] == "建筑面积(㎡)须大于0"
        assert "1 行有问题" in str(screen.query_one("#summary").render())
        assert _count(db, House) == 0

        await pilot.press("f2")  # all or nothing: refused while a row is wrong
        await settle(pilot)
        assert type(app.screen) is ImportScreen and _count(db, House) == 0
        await pilot.press("f6")  # the error report
        assert await wait_for(pilot, lambda: downloads.exists() and any(downloads.iterdir()))
        assert next(downloads.iterdir()).name.startswith("导入错误报告_")

        await pilot.press("f7")  # only the valid rows, after a confirmation
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmDialog"
        await pilot.press("y")
        assert await wait_for(pilot, lambda: screen.result is None)  # forgotten once written
        await settle(pilot)
        assert _count(db, House) == 4 and _count(db, LedgerEntry) == 4
        assert "已导入正确的 4 行" in str(screen.query_one("#summary").render())


async def test_a_clean_file_is_imported_after_confirmation_and_bad_paths_are_named(make_app, db, admin, tmp_path):
    path = write_xlsx(tmp_path / "houses.xlsx", header("houses"), house_rows(3))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "root", PASSWORD)
        await pilot.press("end", "enter")
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, str(tmp_path / "missing.xlsx"))
        await pilot.press("enter")  # Enter checks too
        assert await wait_for(pilot, lambda: "找不到文件" in str(screen.query_one("#summary").render()))
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, str(path))
        await pilot.press("f5")
        assert await wait_for(pilot, lambda: screen.result is not None)
        await settle(pilot)
        assert "全部正确" in str(screen.query_one("#summary").render())
        await pilot.press("f2", "y")
        assert await wait_for(pilot, lambda: screen.result is None)
        await settle(pilot)
        assert _count(db, House) == 3
