"""Import (BY-06): each kind, natural keys, opening and adjustment entries, and every bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import Building, BusinessLog, Community, FundAccount, House, LedgerEntry, Owner
from services.core.clock import local_text
from services.core.errors import PermissionDenied, ValidationError
from services.identity import auth
from services.ops.invariants import check
from services.transfer import importer
from services.transfer.houses import ADJUSTMENT, OPENING
from tests.builders import PASSWORD
from tests.transfer_files import (BUILDINGS, COMMUNITIES, header, house_rows, resident_id, write_csv, write_xlsx)


def _actor(db, username):
    result = auth.authenticate(db, username, PASSWORD)
    return auth.enter(db, result, result.identities[0].identity_id)


@pytest.fixture
def admin(db, build):
    build.district("朝阳区")
    build.district("海淀区")
    build.user("root", roles=(("sysadmin", None),))
    return _actor(db, "root")


@pytest.fixture
def estate(db, admin, tmp_path):
    """望京花园 and 朝阳新城 with their buildings, imported."""
    for kind, rows in (("communities", COMMUNITIES), ("buildings", BUILDINGS)):
        result = importer.import_file(db, admin, kind, write_xlsx(tmp_path / f"{kind}.xlsx", header(kind), rows))
        assert result.ok and result.written, result.issues
    return admin


def _count(db, model, *where):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _issues(result):
    return [(i.row, i.column, i.message) for i in result.issues]


def test_communities_and_buildings_import_and_reimport_changes_nothing(db, estate, tmp_path):
    with db.read() as s:
        codes = dict(s.execute(select(Community.name, Community.code)).all())
        layout = {b.name: (b.units, b.floors_above, b.floors_below) for b in s.execute(select(Building)).scalars()}
    assert codes["朝阳新城"] == "C0009" and codes["望京花园"].endswith("0001")
    assert layout == {"1号楼": (2, 6, 1), "2号楼": (1, 3, 0), "3号楼": (1, 5, 0)}
    again = importer.import_file(db, estate, "buildings", write_xlsx(tmp_path / "b.xlsx", header("buildings"),
                                                                       BUILDINGS))
    assert again.summary.startswith("自然幢：新增 0，更新 0，不变 3")
    corrected = [BUILDINGS[0][:3] + (3, 7, 1, "钢混", 2008)] + BUILDINGS[1:]
    result = importer.import_file(db, estate, "buildings", write_xlsx(tmp_path / "c.xlsx", header("buildings"),
                                                                        corrected))
    assert "更新 1" in result.summary
    assert _count(db, Building) == 3
    with db.read() as s:
        assert s.execute(select(Building.units).where(Building.name == "1号楼")).scalar_one() == 3


def test_houses_with_owners_and_opening_balances(db, estate, tmp_path):
    path = write_xlsx(tmp_path / "houses.xlsx", header("houses"), house_rows(6))
    checked = importer.check_file(db, estate, "houses", path)
    assert checked.ok and not checked.written and _count(db, House) == 0  # a check writes nothing
    result = importer.import_file(db, estate, "houses", path)
    assert result.ok and result.written
    assert _count(db, House) == 6 and _count(db, FundAccount) == 6
    assert _count(db, Owner) == 5  # 业主1 holds two houses
    with db.read() as s:
        developer = s.execute(select(Owner).where(Owner.kind == "organisation")).scalar_one()
        assert developer.name == "北京望京房地产开发有限公司"
        assert s.execute(select(func.sum(FundAccount.balance))).scalar_one() == 6 * 100000
        assert set(s.execute(select(LedgerEntry.memo, LedgerEntry.kind)).all()) == {(OPENING, "deposit")}
        assert s.execute(select(House.area).order_by(House.id)).scalars().first() == 8950
    assert check(db).clean
    with db.read() as s:
        assert s.execute(select(BusinessLog.business_type).order_by(BusinessLog.id.desc())).scalars().first() == "数据导入"

    again = importer.import_file(db, estate, "houses", path)  # the same file twice changes nothing
    assert again.summary.startswith("房屋、业主和期初余额：新增 0，更新 0，不变 6")
    assert (_count(db, House), _count(db, Owner), _count(db, LedgerEntry)) == (6, 5, 6)


def test_a_changed_balance_posts_the_difference_as_an_adjustment(db, estate, tmp_path):
    importer.import_file(db, estate, "houses", write_xlsx(tmp_path / "a.xlsx", header("houses"), house_rows(3)))
    rows = house_rows(3)
    rows[0] = rows[0][:14] + ("1200.50",) + rows[0][15:]  # up 200.50
    rows[1] = rows[1][:14] + ("900",) + rows[1][15:]  # down 100
    rows[2] = rows[2][:7] + ("商业", 120) + rows[2][9:]  # use and area corrected, same balance
    result = importer.import_file(db, estate, "houses", write_xlsx(tmp_path / "b.xlsx", header("houses"), rows))
    assert result.ok, result.issues
    assert "余额调整 2 笔 100.50 元" in result.summary
    with db.read() as s:
        adjustments = s.execute(select(LedgerEntry.kind, LedgerEntry.amount).where(LedgerEntry.memo == ADJUSTMENT)
                                .order_by(LedgerEntry.id)).all()
        assert adjustments == [("deposit", 20050), ("withdrawal", -10000)]
        assert s.execute(select(func.sum(FundAccount.balance))).scalar_one() == 120050 + 90000 + 100000
        assert s.execute(select(House.use, House.area).where(House.room_no == "102")).one() == ("商业", 12000)
    assert check(db).clean
    assert _count(db, House) == 3


def test_csv_in_utf8_with_and_without_bom_and_gb18030(db, estate, tmp_path):
    for i, encoding in enumerate(("utf-8", "utf-8-sig", "gb18030")):
        rows = house_rows(2 + i)
        path = write_csv(tmp_path / f"h{i}.csv", header("houses"), rows, encoding)
        result = importer.import_file(db, estate, "houses", path)
        assert result.ok and result.written, (encoding, result.issues)
        assert result.encoding == {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030"}[encoding]
    assert _count(db, House) == 4
    gbk = write_csv(tmp_path / "g.csv", header("houses"), house_rows(2), "gb18030")
    with pytest.raises(ValidationError, match="不是 UTF-8 编码"):
        importer.check_file(db, estate, "houses", gbk, encoding="utf-8")


def test_numbers_as_text_with_separators_and_full_width_digits_are_read(db, estate, tmp_path):
    rows = house_rows(2)
    rows[0] = rows[0][:8] + ("８９．５",) + rows[0][9:14] + ("1,234,567.80",) + rows[0][15:]
    rows[1] = rows[1][:8] + ("1,089.5",) + rows[1][9:14] + ("￥０",) + rows[1][15:]
    result = importer.import_file(db, estate, "houses", write_xlsx(tmp_path / "n.xlsx", header("houses"), rows))
    assert result.ok, result.issues
    with db.read() as s:
        assert s.execute(select(House.area).order_by(House.id)).scalars().all() == [8950, 108950]
        assert s.execute(select(FundAccount.balance).order_by(FundAccount.id)).scalars().all() == [123456780, 0]
    assert _count(db, LedgerEntry) == 1  # a zero balance posts no entry


def test_bad_rows_are_all_reported_and_nothing_is_written(db, estate, tmp_path):
    rows = house_rows(10)
    rows[0] = rows[0][:8] + (-3,) + rows[0][9:]  # negative area
    rows[1] = rows[1][:8] + (0,) + rows[1][9:]  # zero area
    rows[2] = rows[8][:8] + (80,) + rows[2][9:]  # the room of row 10
    rows[3] = rows[3][:2] + ("3号楼",) + rows[3][3:]  # a building of 朝阳新城
    rows[4] = rows[4][:12] + ("110105198001010011",) + rows[4][13:]  # wrong check digit
    rows[5] = rows[5][:14] + ("12.345",) + rows[5][15:]
    rows[6] = rows[6][:15] + ("2026年13月1日",) + rows[6][16:]
    rows[7] = rows[7][:14] + ("1,23,4",) + rows[7][15:]

    def formula(sheet):
        sheet["O11"] = "=1+1"

    path = write_xlsx(tmp_path / "bad.xlsx", header("houses"), rows, formula)
    result = importer.import_file(db, estate, "houses", path)
    assert not result.written and _count(db, House) == 0 and _count(db, Owner) == 0
    assert _issues(result) == [
        (2, "建筑面积(㎡)", "建筑面积(㎡)须大于0"),
        (3, "建筑面积(㎡)", "建筑面积(㎡)须大于0"),
        (5, "自然幢", "自然幢“3号楼”属于小区“朝阳新城”，不在小区“望京花园”中"),
        (6, "证件号码", "证件号码不是有效的居民身份证号码"),
        (7, "期初余额(元)", "期初余额(元)最多两位小数：12.345"),
        (8, "期初日期", "期初日期不是有效的日期：2026年13月1日"),
        (9, "期初余额(元)", "期初余额(元)的千位分隔符位置不对：1,23,4"),
        (10, "室", "与第 4 行是同一房屋（自然幢、单元、层、室都相同）"),
        (11, "期初余额(元)", "期初余额(元)是公式，请复制后“选择性粘贴为数值”再导入"),
    ]
    assert result.lines()[0].endswith("未写入任何数据：请改正后重新导入，或选择仅导入正确的行。")
    report = importer.error_report(db, estate, result)
    from io import BytesIO
    from openpyxl import load_workbook
    sheet = load_workbook(BytesIO(report.data)).active
    assert [c.value for c in sheet[1]] == ["行号", "列", "内容", "问题"]
    assert [c.value for c in sheet[2]] == ["2", "建筑面积(㎡)", "-3", "建筑面积(㎡)须大于0"]

    partial = importer.import_file(db, estate, "houses", path, valid_only=True)  # the operator's explicit choice
    assert partial.written and partial.valid_rows == 1 and _count(db, House) == 1
    assert check(db).clean


def test_merged_cells_and_dates_as_text(db, estate, tmp_path):
    rows = house_rows(3)
    rows[1] = rows[1][:15] + ("2026/3/5",) + rows[1][16:]  # text dates that say one day are read

    def merge(sheet):
        sheet["A4"] = None
        sheet.merge_cells("A3:A4")
        sheet["P2"] = date(2025, 12, 31)  # a real Excel date cell

    result = importer.check_file(db, estate, "houses", write_xlsx(tmp_path / "m.xlsx", header("houses"), rows, merge))
    assert _issues(result) == [(4, "区县", "区县在合并单元格中，请取消合并并逐行填写")]
    result = importer.import_file(db, estate, "houses", write_xlsx(tmp_path / "d.xlsx", header("houses"), rows,
                                                                     merge),
                                  valid_only=True)
    assert result.written and result.valid_rows == 2
    with db.read() as s:
        opened = s.execute(select(FundAccount.opened_at).order_by(FundAccount.id)).scalars().all()
    assert [local_text(t, "%Y-%m-%d") for t in opened] == ["2025-12-31", "2026-03-05"]


def test_wrong_header_missing_column_and_files_that_are_not_spreadsheets(db, estate, tmp_path):
    with pytest.raises(ValidationError, match="表头与“房屋、业主和期初余额”导入模板不符（缺少列：单元、层、室"):
        importer.check_file(db, estate, "houses", write_xlsx(tmp_path / "w.xlsx", header("buildings"), BUILDINGS))
    missing = [h for h in header("houses") if h != "建筑面积(㎡)"]
    with pytest.raises(ValidationError, match="缺少列：建筑面积\\(㎡\\)"):
        importer.check_file(db, estate, "houses", write_xlsx(tmp_path / "x.xlsx", missing, []))
    (tmp_path / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ValidationError, match="内容不是 Excel 文件"):
        importer.check_file(db, estate, "houses", tmp_path / "photo.xlsx")
    (tmp_path / "data.bin").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ValidationError, match="不是电子表格"):
        importer.check_file(db, estate, "houses", tmp_path / "data.bin")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(ValidationError, match="旧版 Excel"):
        importer.check_file(db, estate, "houses", tmp_path / "old.xls")
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB without the disk
    with pytest.raises(ValidationError, match="文件过大（200.0 MB）"):
        importer.check_file(db, estate, "houses", big)
    with pytest.raises(ValidationError, match="找不到文件"):
        importer.check_file(db, estate, "houses", tmp_path / "nowhere.xlsx")
    with pytest.raises(ValidationError, match="未知的导入类型"):
        importer.check_file(db, estate, "cars", big)


def test_who_may_import_where(db, estate, build, tmp_path):
    from models import District

    with db.read() as s:
        haidian = s.execute(select(District.id).where(District.name == "海淀区")).scalar_one()
    authority = build.organisation(kind="authority", name="海淀区住房和城乡建设委员会", district_id=haidian)
    build.user("hdsh", roles=(("reviewer", authority.id),))
    enterprise = build.organisation()
    build.user("qyjb", roles=(("enterprise_operator", enterprise.id),))
    path = write_xlsx(tmp_path / "h.xlsx", header("houses"), house_rows(2))
    with pytest.raises(PermissionDenied):
        importer.check_file(db, _actor(db, "qyjb"), "houses", path)
    result = importer.import_file(db, _actor(db, "hdsh"), "houses", path)  # 朝阳区 is not 海淀区's
    assert not result.written and _issues(result)[0] == (2, "区县", "区县“朝阳区”不存在或不在您的管辖范围内")
    with db.read() as s:
        chaoyang = s.execute(select(District.id).where(District.name == "朝阳区")).scalar_one()
    own = build.organisation(kind="authority", name="朝阳区住房和城乡建设委员会", district_id=chaoyang)
    build.user("cysh", roles=(("reviewer", own.id),))
    assert importer.import_file(db, _actor(db, "cysh"), "houses", path).written  # its own district
    assert _count(db, House) == 2


def test_the_template_has_the_header_of_its_kind(tmp_path):
    from io import BytesIO
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(importer.template("houses"))).active
    assert [c.value for c in sheet[1]] == header("houses")
    path = tmp_path / "t.xlsx"
    path.write_bytes(importer.template("communities"))
    assert importer.describe("houses")[1].startswith("  区县（必填）")
