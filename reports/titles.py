"""Document titles as each city's manual names them (Beijing's exactly as its manual prints them)."""

from __future__ import annotations

from reports import ARREARS, SIGN_SHEET, TASK_ORDER

_TITLES = {
    "北京市": {
        TASK_ORDER: "北京市住宅专项维修资金维修支取任务单",
        SIGN_SHEET: "北京市住房资金管理中心专项维修资金分摊明细业主签字确认表",
        ARREARS: "北京市住宅专项维修资金欠款催缴通知单",
    },
    "上海市": {  # Shanghai calls its fund 商品住房维修资金 (the Shanghai manual's system name)
        TASK_ORDER: "上海市商品住房维修资金维修支取任务单",
        SIGN_SHEET: "上海市商品住房维修资金分摊明细业主签字确认表",
        ARREARS: "上海市商品住房维修资金欠款催缴通知单",
    },
}
_GENERIC = {TASK_ORDER: "{city}住宅专项维修资金维修支取任务单", SIGN_SHEET: "{city}专项维修资金分摊明细业主签字确认表",
            ARREARS: "{city}住宅专项维修资金欠款催缴通知单"}


def title(doc_type: str, city: str) -> str:
    known = _TITLES.get(city)
    return known[doc_type] if known else _GENERIC[doc_type].format(city=city)
