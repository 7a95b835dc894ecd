"""《<city>物业单位注册申请单》: the unit's details as submitted, the department that checks the paper
materials, and the boxes for the applicant's and the department's signatures and seals."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from reports.data import Stamp
from reports.form_grid import pair, render_form, wide

ROW_H = 9.5
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


def render(data: UnitApplicationData, stamp: Stamp) -> bytes:
    rows = [
        wide("单位名称", data.name, ROW_H),
        pair("组织机构代码", data.org_code, "社会诚信代码", data.credit_code, ROW_H),
        wide("单位地址", data.address, ROW_H),
        pair("法定代表人", data.legal_rep_name, "证件类型", data.legal_rep_id_type, ROW_H),
        wide("法定代表人证件号码", data.legal_rep_id_no, ROW_H),
        pair("联系人", data.contact_name, "联系人手机号码", data.contact_mobile, ROW_H),
        pair("申请人", data.applicant, "未认证用户名", data.applicant_username, ROW_H),
        pair("申请日期", data.submitted_on, "审核期限", data.due_on, ROW_H),
        wide("审核材料的管理部", data.authority, ROW_H),
        wide("须携带的材料", "营业执照副本、法定代表人身份证件、经办人身份证件及授权委托书（均需原件及加盖公章的复印件）",
             ROW_H),
    ]
    return render_form(title(data.city), data.application_no, stamp, rows, "申请单位意见：", f"{data.authority}审核意见：",
                       chief=False)
