"""《<city>物业单位注册申请单》: the unit's details as submitted, the department that checks the paper
materials, and the boxes for the applicant's and the department's signatures and seals."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from reports.data import Stamp
from reports.frame import BODY_BOTTOM, BODY_TOP, LEFT, WIDTH, FormPDF

LABEL, VALUE = 34.0, 56.0
WIDE = WIDTH - LABEL
SIGN_H = 52.0
VERSION = 1


@dataclass(frozen=True)
class UnitApplicationData:
    city: str
    application_no: str
    submitted_on: str
    name: str
    org_code: str
    credit_code: str
    address: str
    legal_rep_name: str
    legal_rep_id_type: str
    legal_rep_id_no: str  # masked: the form travels on paper
    contact_name: str
    contact_mobile: str
    applicant: str
    applicant_username: str
    authority: str
    due_on: str


def to_json(data: UnitApplicationData) -> str:
    return json.dumps({"version": VERSION, "unit_application": asdict(data)}, ensure_ascii=False,
                      separators=(",", ":"))


def from_json(text: str) -> UnitApplicationData:
    stored = json.loads(text)
    if stored.get("version") != VERSION:
        raise ValueError(f"unknown snapshot version: {stored.get('version')}")
    return UnitApplicationData(**stored["unit_application"])


def title(city: str) -> str:
    return f"{city}住宅专项维修资金物业单位注册申请单"


def _box(pdf: FormPDF, x: float, y: float, w: float, heading: str) -> None:
    pdf.rect(x, y, w, SIGN_H)
    pdf.put_in(x, y + 1, w, pdf.height_for(heading, w, 10.5), heading, 10.5)
    bottom = y + SIGN_H
    pdf.put(x + 4, bottom - 19, "经办人（签字）：", 10.5)
    pdf.put(x + w - 26, bottom - 10, "（盖章）", 10.5)
    pdf.put(x + w - 40, bottom - 3.5, "年　　　月　　　日", 10.5)


def render(data: UnitApplicationData, stamp: Stamp) -> bytes:
    pdf = FormPDF(title(data.city), data.application_no, stamp)
    pdf.add_page()

    def pair(l1, v1, l2, v2):
        return [(LABEL, l1, "label"), (VALUE, v1, "text"), (LABEL, l2, "label"), (VALUE, v2, "text")]

    def wide(label, value):
        return [(LABEL, label, "label"), (WIDE, value, "text")]

    rows = [
        wide("单位名称", data.name),
        pair("组织机构代码", data.org_code, "社会诚信代码", data.credit_code),
        wide("单位地址", data.address),
        pair("法定代表人", data.legal_rep_name, "证件类型", data.legal_rep_id_type),
        wide("法定代表人证件号码", data.legal_rep_id_no),
        pair("联系人", data.contact_name, "联系人手机号码", data.contact_mobile),
        pair("申请人", data.applicant, "未认证用户名", data.applicant_username),
        pair("申请日期", data.submitted_on, "审核期限", data.due_on),
        wide("审核材料的管理部", data.authority),
        wide("须携带的材料", "营业执照副本、法定代表人身份证件、经办人身份证件及授权委托书（均需原件及加盖公章的复印件）"),
    ]
    y = BODY_TOP
    for cells in rows:
        y = pdf.grid_row(y, cells, min_h=9.5)
    if y + 6 + SIGN_H > BODY_BOTTOM:
        pdf.add_page()
        y = BODY_TOP
    y += 4
    half = WIDTH / 2
    _box(pdf, LEFT, y, half, "申请单位意见：")
    _box(pdf, LEFT + half, y, half, f"{data.authority}审核意见：")
    return bytes(pdf.output())
