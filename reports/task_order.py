"""《<city>住宅专项维修资金维修支取任务单》: the order's form, totals and the boxes for signatures
and seals of the enterprise and the district department."""

from __future__ import annotations

from reports.amounts import rmb_capitals, square_metres, yuan
from reports import titles
from reports.data import OrderData, Stamp
from reports.form_grid import Row, pair, render_form, wide


def title(city: str) -> str:
    return titles.title(titles.TASK_ORDER, city)


def _rows(data: OrderData) -> list[Row]:
    rows = [
        pair("所在区", data.district, "申请日期", data.submitted_on, 8.5),
        pair("小区名称", data.community, "小区地址", data.community_address, 8.5),
        pair("物业服务企业", data.enterprise, "统一社会信用代码", data.enterprise_code, 8.5),
        wide("项目名称", data.project_name, 8.5),
        pair("维修类别", data.repair_category, "是否应急维修", data.emergency, 8.5),
        wide("维修部位", data.repair_part, 8.5),
        wide("维修内容", data.repair_content, 22.0),
        wide("施工单位", data.contractor, 8.5),
        pair("计划开工日期", data.plan_start, "计划完工日期", data.plan_end, 8.5),
        pair("预算金额(元)", yuan(data.budget), "申请支取金额(元)", yuan(data.amount), 8.5),
        wide("申请支取金额\n（大写）", f"人民币{rmb_capitals(data.amount)}", 10.0),
        pair("分摊方式", data.method, "分摊标准(元/㎡)", data.rate, 8.5),
        pair("分摊总户数", f"{data.households}户", "分摊总面积(㎡)", square_metres(data.area), 8.5),
        pair("维修资金支付(元)", yuan(data.total_deducted), "业主自筹(元)",
              f"{yuan(data.total_arrears)}（{data.arrears_count}户）", 8.5),
        pair("联系人", data.contact_name, "联系电话", data.contact_phone, 8.5),
    ]
    if data.replaces:
        rows.append(wide("原任务单编号", f"{data.replaces}（审批退回后修改）", 8.5))
    rows.append(wide("备注", data.remark, 12.0))
    return rows


def render(data: OrderData, stamp: Stamp) -> bytes:
    return render_form(title(data.city), data.application_no, stamp, _rows(data), "申请单位（物业服务企业）意见：",
                       f"{data.department}审核意见：", chief=True)
