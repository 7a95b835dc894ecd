"""The three documents rendered from plain data, read back with pypdf."""

import re
from dataclasses import replace

import pytest

from reports import ARREARS, SIGN_SHEET, TASK_ORDER, render
from reports.amounts import rmb_capitals, square_metres, yuan
from reports.data import from_json, to_json
from tests.pdf_text import pdf_pages, pdf_text
from tests.report_samples import LONG_OWNER, RARE_OWNERS, REPRINT, STAMP, sample_lines, sample_order

TITLES = {TASK_ORDER: "北京市住宅专项维修资金维修支取任务单", SIGN_SHEET: "北京市住房资金管理中心专项维修资金分摊明细业主签字确认表",
          ARREARS: "北京市住宅专项维修资金欠款催缴通知单"}
MARKS = re.compile(r"补打时间|打印时间|补打|\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}")


def _data(doc_type, lines=None):
    every = lines or sample_lines(40)
    shown = {SIGN_SHEET: every, ARREARS: tuple(x for x in every if x.arrears)}.get(doc_type, ())
    return replace(sample_order(every), lines=shown)


@pytest.mark.parametrize("doc_type", [TASK_ORDER, SIGN_SHEET, ARREARS])
def test_every_page_has_the_frame(doc_type):
    pages = pdf_pages(render(doc_type, _data(doc_type), STAMP))
    for number, page in enumerate(pages, start=1):
        assert page.startswith(TITLES[doc_type])
        assert "申请编号：WX20260315000042" in page
        assert f"第{number}页共{len(pages)}页" in page
        assert "打印时间：2026-03-1510:20:30" in page and "单据流水号：DY20260315000007" in page
        assert "补打" not in page


def test_task_order_shows_the_form_totals_and_capitals():
    data = _data(TASK_ORDER)
    text = pdf_text(render(TASK_ORDER, data, STAMP))
    for value in ("泰和名邸", data.enterprise, data.department, data.project_name, "屋面防水", "北京建工防水工程有限公司",
                  "2026-04-01", "2026-05-30", "按建筑面积", "12.35", "王芳", "13812345678", "40户",
                  square_metres(data.area), yuan(data.amount), yuan(data.budget), yuan(data.total_deducted),
                  f"{yuan(data.total_arrears)}（{data.arrears_count}户）", f"人民币{rmb_capitals(data.amount)}",
                  "经办人（签字）", "（盖章）"):
        assert "".join(value.split()) in text, value
    assert "".join(data.repair_content.split()) in text  # wrapped over several lines, nothing lost


@pytest.mark.parametrize("doc_type,expected", [
    (TASK_ORDER, "上海市商品住房维修资金维修支取任务单"), (SIGN_SHEET, "上海市商品住房维修资金分摊明细业主签字确认表"),
    (ARREARS, "上海市商品住房维修资金欠款催缴通知单")])
def test_the_title_follows_the_city(doc_type, expected):
    pages = pdf_pages(render(doc_type, replace(_data(doc_type), city="上海市"), STAMP))
    assert pages[0].startswith(expected)


def test_sign_sheet_rows_subtotals_and_total_on_repeated_heads():
    lines = sample_lines(300, buildings=3)
    pages = pdf_pages(render(SIGN_SHEET, _data(SIGN_SHEET, lines), STAMP))
    assert len(pages) > 5
    head = "序号房号业主姓名（名称）建筑面积(㎡)分摊金额(元)可用余额(元)自筹金额(元)业主签字"
    assert all(head in page for page in pages)
    text = "".join(pages)
    for building in ("1号楼", "2号楼", "3号楼"):
        houses = [x for x in lines if x.building == building]
        subtotal = (f"{building}小计（{len(houses)}户）{square_metres(sum(x.area for x in houses))}"
                    f"{yuan(sum(x.share for x in houses))}{yuan(sum(x.available for x in houses))}"
                    f"{yuan(sum(x.arrears for x in houses))}")
        assert subtotal in text
    total = f"合计（300户）{square_metres(sum(x.area for x in lines))}{yuan(sum(x.share for x in lines))}"
    assert total in text
    assert "1号楼1单元" in text and "（续）" in text  # a unit running over a page is headed again
    assert text.count("业主00011") == 1 and LONG_OWNER in text and all(name in text for name in RARE_OWNERS)


def test_arrears_notices_one_per_short_house():
    data = _data(ARREARS)
    short = data.lines
    pages = pdf_pages(render(ARREARS, data, STAMP))
    text = "".join(pages)
    assert len(short) == 6 and len(pages) == 2  # three to a page
    for number, line in enumerate(short, start=1):
        assert f"第{number}份共{len(short)}份" in text
        assert f"尊敬的{''.join(line.owner.split())}业主" in text
        location = f"泰和名邸{line.building}{line.unit}单元{line.room_no}"
        assert (f"房屋坐落建筑面积(㎡)分摊金额(元)可用余额(元)应交金额(元){location}{square_metres(line.area)}"
                f"{yuan(line.share)}{yuan(line.available)}{yuan(line.arrears)}") in text
        assert f"应交金额（大写）：人民币{rmb_capitals(line.arrears)}" in text
    assert text.count("沿此线剪开") == 4
    assert "请于2026-04-15前将应交金额交至" in text


def test_arrears_without_short_houses_is_refused():
    with pytest.raises(ValueError):
        render(ARREARS, replace(_data(ARREARS), lines=()), STAMP)


@pytest.mark.parametrize("doc_type", [TASK_ORDER, SIGN_SHEET, ARREARS])
def test_reprint_differs_only_by_the_mark_and_the_time(doc_type):
    data = from_json(to_json(_data(doc_type)))  # through the store, as a reprint is
    original = pdf_text(render(doc_type, data, STAMP))
    again = pdf_text(render(doc_type, data, REPRINT))
    assert again.count("补打") == 2 * len(pdf_pages(render(doc_type, data, REPRINT)))  # mark and time label
    assert MARKS.sub("", original) == MARKS.sub("", again)
    assert "补打时间：2026-03-2016:05:09" in again


def test_rendering_is_a_pure_function_of_the_data():
    data = _data(SIGN_SHEET)
    assert render(SIGN_SHEET, data, STAMP) == render(SIGN_SHEET, from_json(to_json(data)), STAMP)


def test_snapshot_round_trip():
    data = _data(ARREARS)
    assert from_json(to_json(data)) == data


def test_the_font_can_be_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("WXZJ_PDF_FONT", str(tmp_path / "missing.otf"))
    with pytest.raises(FileNotFoundError, match="WXZJ_PDF_FONT"):
        render(TASK_ORDER, _data(TASK_ORDER), STAMP)


def test_long_text_wraps_inside_its_cell():
    from reports.frame import FormPDF

    pdf = FormPDF("测试", "WX1", STAMP)
    lines = pdf.wrap(LONG_OWNER, 33.6, 9)
    assert len(lines) > 1 and "".join(lines) == LONG_OWNER
    assert all(pdf.width_of(line, 9) <= 33.6 for line in lines)
    assert not any(line[0] in "，。）" for line in lines[1:])  # punctuation never starts a line
    # three characters a line: "（" may not end the first, "）" may not start the last
    assert pdf.wrap("甲乙（丙丁）", pdf.width_of("甲乙（", 9) + 0.1, 9) == ["甲乙", "（丙", "丁）"]
