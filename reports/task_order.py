"""《<city>住宅专项维修资金维修支取任务单》: the order's form, totals and the boxes for signatures
and seals of the enterprise and the district department."""

from __future__ import annotations

from reports.amounts import rmb_capitals, square_metres, yuan
from reports import titles
from reports.data import OrderData, Stamp
from reports.frame import BODY_BOTTOM, BODY_TOP, LEFT, WIDTH, FormPDF

LABEL, VALUE = 34.0, 56.0  # a row of two label/value pairs spans WIDTH
WIDE = WIDTH - LABEL
SIGN_H = 52.0


def title(city: str) -> str:
    return titles.title(titles.TASK_ORDER, city)


def _rows(data: OrderData) -> list[tuple[list[tuple[float, str, str]], float]]:
    def pair(label1: str, value1: str, label2: str, value2: str):
        return [(LABEL, label1, "label"), (VALUE, value1, "text"), (LABEL, label2, "label"), (VALUE, value2, "text")]

    def wide(label: str, value: str):
        return [(LABEL, label, "label"), (WIDE, value, "text")]

    rows = [
        (pair("所在区", data.district, "申请日期", data.submitted_on), 8.5),
        (pair("小区名称", data.community, "小区地址", data.community_address), 8.5),
        (pair("物业服务企业", data.enterprise, "统一社会信用代码", data.enterprise_code), 8.5),
        (wide("项目名称", data.project_name), 8.5),
        (pair("维修类别", data.repair_category, "是否应急维修", data.emergency), 8.5),
        (wide("维修部位", data.repair_part), 8.5),
        (wide("维修内容", data.repair_content), 22.0),
        (wide("施工单位", data.contractor), 8.5),
        (pair("计划开工日期", data.plan_start, "计划完工日期", data.plan_end), 8.5),
        (pair("预算金额(元)", yuan(data.budget), "申请支取金额(元)", yuan(data.amount)), 8.5),
        (wide("申请支取金额\n（大写）", f"人民币{rmb_capitals(data.amount)}"), 10.0),
        (pair("分摊方式", data.method, "分摊标准(元/㎡)", data.rate), 8.5),
        (pair("分摊总户数", f"{data.households}户", "分摊总面积(㎡)", square_metres(data.area)), 8.5),
        (pair("维修资金支付(元)", yuan(data.total_deducted), "业主自筹(元)",
              f"{yuan(data.total_arrears)}（{data.arrears_count}户）"), 8.5),
        (pair("联系人", data.contact_name, "联系电话", data.contact_phone), 8.5),
    ]
    if data.replaces:
        rows.append((wide("原任务单编号", f"{data.replaces}（审批退回后修改）"), 8.5))
    rows.append((wide("备注", data.remark), 12.0))
    return rows


def _signature_box(pdf: FormPDF, x: float, y: float, w: float, heading: str) -> None:
    pdf.rect(x, y, w, SIGN_H)
    pdf.put_in(x, y + 1, w, pdf.height_for(heading, w, 10.5), heading, 10.5)
    bottom = y + SIGN_H
    pdf.put(x + 4, bottom - 19, "经办人（签字）：", 10.5)
    pdf.put(x + w / 2 + 2, bottom - 19, "负责人（签字）：", 10.5)
    pdf.put(x + w - 26, bottom - 10, "（盖章）", 10.5)
    pdf.put(x + w - 40, bottom - 3.5, "年　　　月　　　日", 10.5)


def render(data: OrderData, stamp: Stamp) -> bytes:
    pdf = FormPDF(title(data.city), data.application_no, stamp)
    pdf.add_page()
    y = BODY_TOP
    for cells, min_h in _rows(data):
        y = pdf.grid_row(y, cells, min_h=min_h)
    if y + 6 + SIGN_H > BODY_BOTTOM:
        pdf.add_page()
        y = BODY_TOP
    y += 4
    half = WIDTH / 2
    _signature_box(pdf, LEFT, y, half, "申请单位（物业服务企业）意见：")
    _signature_box(pdf, LEFT + half, y, half, f"{data.department}审核意见：")
    return bytes(pdf.output())
