"""Export (BY-06): any list to XLSX with its on-screen column names; read back with openpyxl."""

import io
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st
from openpyxl import load_workbook

from models import BusinessLog
from screens.records.business_log import BusinessLogScreen
from services.core.errors import PermissionDenied
from services.core.money import format_fen
from services.transfer import export
from services.transfer.export import ExportTable
from tests.builders import PASSWORD
from tests.pilot import login, settle, type_text, wait_for


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_amounts_and_areas_are_numbers_with_two_decimals_and_text_stays_text():
    table = ExportTable("分户账", ("房号", "业主", "金额(元)", "面积(㎡)", "户数"), [
        ("101", "=HYPERLINK(\"x\")", 123456, 8950, 3),
        ("102", "张\x07三 ", "1,234.50", "89.5", 1),
        ("103", None, None, "", 0),
    ])
    sheet = _sheet(export.write_xlsx(table))
    assert sheet.title == "分户账" and sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["房号", "业主", "金额(元)", "面积(㎡)", "户数"]
    assert rows[1] == ["101", "=HYPERLINK(\"x\")", 1234.56, 89.5, "3"]
    assert sheet["B2"].data_type == "s"  # a formula typed by a clerk is never evaluated
    assert rows[2] == ["102", "张三 ", 1234.5, 89.5, "1"]
    assert rows[3][:4] == ["103", None, None, None]
    assert sheet["C2"].number_format == "#,##0.00" and sheet["D3"].number_format == "#,##0.00"
    assert sheet["A1"].font.b


def test_column_widths_count_cjk_characters_twice():
    table = ExportTable("x", ("物业服务企业", "No"), [("北京市朝阳区安居物业服务有限公司", "1")])
    sheet = _sheet(export.write_xlsx(table))
    assert sheet.column_dimensions["A"].width == 2 * 16 + 2
    assert sheet.column_dimensions["B"].width == 4


@given(st.integers(min_value=-99_999_999_999, max_value=99_999_999_999))
def test_every_fen_amount_reads_back_exactly(fen):
    sheet = _sheet(export.write_xlsx(ExportTable("x", ("金额(元)", "显示(元)"), [(fen, format_fen(fen))])))
    assert Decimal(str(sheet["A2"].value)).quantize(Decimal("0.01")) == Decimal(fen).scaleb(-2)
    assert sheet["B2"].value == sheet["A2"].value


def test_export_needs_a_logged_in_user():
    with pytest.raises(PermissionDenied):
        export.export_xlsx(None, None, ExportTable("x", ("a",), []))


def test_a_long_list_streams_into_one_sheet():
    rows = [(f"LS{i:012d}", "商品房维修支取", i * 137, 8950) for i in range(5000)]
    result = export.export_xlsx(None, object(), ExportTable("业务流水", ("流水号", "业务类型", "金额(元)", "面积(㎡)"),
                                                            rows))
    assert result.rows == 5000 and result.filename.startswith("业务流水_") and result.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(result.data), read_only=True).active
    assert sheet.max_row == 5001 and sum(1 for _ in sheet.iter_rows()) == 5001


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return tmp_path / "home" / "Downloads"


async def test_business_log_exports_every_row_of_the_filter_not_only_the_page(make_app, build, db, downloads):
    org = build.organisation(name="安居物业服务有限公司")
    user = build.user("qyjb", roles=(("enterprise_operator", org.id),), real_name="王芳")
    with db.write() as session:
        from services.core.business_log import record_action
        for i in range(130):  # more than a page (100)
            record_action(session, None, "商品房维修支取", application_no=f"WX{i:014d}", user_id=user.id,
                          organisation_id=org.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyjb", PASSWORD)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BusinessLogScreen)
        assert app.screen.query_one("#log").row_count == 100
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: downloads.exists() and any(downloads.iterdir()))
        await settle(pilot)
        saved = next(downloads.iterdir())
        assert saved.name.startswith("业务流水_")
        rows = [[c.value for c in row] for row in _sheet(saved.read_bytes()).iter_rows()]
        assert rows[0] == ["流水号", "申请编号", "业务类型", "交易渠道", "办理时间", "经办人", "状态"]
        assert len(rows) == 1 + 131  # 130 orders and the login
        assert not app.screen.query("ExportProgress")

        await type_text(pilot, "x")  # the filter narrows the export: business type 登录 only
        await pilot.press("ctrl+a", "ctrl+k", "tab", "tab")
        for _ in range(5):  # 业务类型 is a choice of the types that exist (issue 9 item 22)
            if app.screen.query_one("#business_type").value == "登录":
                break
            await pilot.press("right")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#log").row_count == 1
        for path in downloads.iterdir():
            path.unlink()
        await pilot.press("ctrl+p")  # the command palette has the entry too
        await type_text(pilot, "导出")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: any(downloads.iterdir()))
        await settle(pilot)
        rows = [[c.value for c in row] for row in _sheet(next(downloads.iterdir()).read_bytes()).iter_rows()]
        assert len(rows) == 2 and rows[1][2] == "登录"


async def test_task_orders_and_their_lines_export_what_the_tables_show(make_demo_app, demo_db, actor_of, downloads):
    from services.task_orders import submit as task_order_submit
    from tests.orders import ready_draft
    from tests.test_task_order_flow import SIZE, open_order_home

    order_id, buildings = ready_draft(demo_db, actor_of("qyjb"), houses=5)
    number = task_order_submit.submit(demo_db, actor_of("qyjb"), order_id, buildings).application_no
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_order_home(pilot)
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: downloads.exists() and any(downloads.iterdir()))
        await settle(pilot)
        saved = next(downloads.iterdir())
        assert saved.name.startswith("商品房维修支取申请_")
        sheet = _sheet(saved.read_bytes())
        assert [c.value for c in sheet[1]] == ["申请编号", "小区", "项目名称", "金额(元)", "户数", "状态", "提交时间"]
        assert sheet["A2"].value == number and isinstance(sheet["D2"].value, float)
        saved.unlink()

        await pilot.press("f4")  # 到户支取详细信息
        await settle(pilot)
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: any(downloads.iterdir()))
        await settle(pilot)
        sheet = _sheet(next(downloads.iterdir()).read_bytes())
        assert sheet.title == "到户支取详细信息" and sheet.max_row == 6
        assert sheet["F1"].value == "面积(㎡)" and sheet["F2"].number_format == "#,##0.00"
        with demo_db.read() as s:
            from sqlalchemy import func, select
            from models import TaskOrderLine
            total = s.execute(select(func.sum(TaskOrderLine.share)).where(TaskOrderLine.task_order_id == order_id)
                              ).scalar_one()
        assert round(sum(sheet.cell(row=r, column=7).value for r in range(2, 7)) * 100) == total
