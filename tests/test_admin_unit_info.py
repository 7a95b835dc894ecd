"""单位信息管理 (BJ-25): every auxiliary field validated, a name change only after 质监校验, old and new values in
the business log, the version check, and only the enterprise's own administrator."""

import json

import pytest
from sqlalchemy import select

from models import AuditEntry, BusinessLog, Organisation
from screens.admin.unit_info import UnitInfoScreen
from screens.common.dialogs import NoticeDialog
from services.admin import enterprise_register, unit_info as unit
from services.core.errors import PermissionDenied, StaleRecord, ValidationError
from services.demo.accounts import DEMO_PASSWORD
from services.demo.directory import renamed_enterprise
from tests.pilot import login, settle, text_of


def _values(info: unit.UnitInfo, **changes) -> dict[str, str]:
    return {**info.values, **changes}


def test_the_form_holds_every_field_of_the_manual():
    labels = [f.label for f in unit.FIELDS]
    for label in ("单位地址", "单位邮编", "单位办公地地址", "单位办公地邮编", "单位电话", "单位其他电话", "单位电子信箱",
                  "单位设立日期", "注册资本(元)", "单位传真", "单位所有制关系", "单位证件号码", "单位经济类型",
                  "法人或负责人代表电话", "法人或负责人代表手机号", "主管部门", "资金类型", "行政关系", "是否具备法人资格",
                  "单位预算代码", "单位设立批准文件", "单位所属行业", "企业法人营业执照号码", "税务登记证号", "部门预算代码",
                  "基本户开户许可证"):
        assert label in labels
    assert {f.label for f in unit.FIELDS if f.required} == {"单位地址", "单位邮编", "单位电话", "法人或负责人代表手机号"}


@pytest.mark.parametrize("field,value,message", [
    ("postcode", "10001", "邮政编码应为6位数字"),
    ("office_postcode", "1000011", "邮政编码应为6位数字"),
    ("phone", "abc", "电话号码格式不正确"),
    ("legal_rep_mobile", "2381234567", "手机号码应为11位数字"),
    ("email", "no-at-sign", "电子邮箱格式不正确"),
    ("founded_on", "2001-02-30", "单位设立日期格式应为"),
    ("founded_on", "9999-12-31", "单位设立日期应在"),
    ("registered_capital_fen", "-5", "注册资本须大于0"),
    ("registered_capital_fen", "1.234", "注册资本最多两位小数"),
    ("legal_person", "也许", "是否具备法人资格"),
    ("address", "", "请输入单位地址"),
    ("address", "路" * 201, "单位地址不能超过200个字"),
    ("industry", "物业\ud800", "含有无法保存的字符"),
])
def test_each_field_is_validated_at_its_field(demo_db, actor_of, field, value, message):
    admin = actor_of("qyadmin")
    info = unit.load(demo_db, admin)
    with pytest.raises(ValidationError) as refused:
        unit.submit(demo_db, admin, _values(info, **{field: value}), info.version)
    assert refused.value.field == field and message in refused.value.message


def test_a_change_is_done_at_once_with_old_and_new_in_the_business_log(demo_db, actor_of):
    admin = actor_of("qyadmin")
    info = unit.load(demo_db, admin)
    changed = unit.submit(demo_db, admin, _values(info, postcode="100020", registered_capital_fen="1,000,000.5",
                                                  fund_type="自有资金"), info.version)
    assert [c[0] for c in changed.changes] == ["单位邮编", "注册资本(元)", "资金类型"]
    with demo_db.read() as s:
        org = s.get(Organisation, admin.organisation_id)
        assert (org.postcode, org.registered_capital_fen, org.fund_type) == ("100020", 100_000_050, "自有资金")
        assert org.version == info.version + 1
        log = s.execute(select(BusinessLog).where(BusinessLog.serial_no == changed.serial_no)).scalar_one()
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == unit.BUSINESS_TYPE)).scalar_one()
    assert log.business_type == "单位信息变更" and "单位邮编" in log.summary
    detail = json.loads(audit.detail)["changes"]
    assert detail["postcode"] == [info.values["postcode"], "100020"]
    assert detail["fund_type"] == ["", "自有资金"]
    with pytest.raises(ValidationError, match="没有变更"):
        again = unit.load(demo_db, admin)
        unit.submit(demo_db, admin, again.values, again.version)


def test_two_administrators_at_once_the_second_is_told_to_reload(demo_db, actor_of):
    admin = actor_of("qyadmin")
    info = unit.load(demo_db, admin)
    unit.submit(demo_db, admin, _values(info, fax="010-66666666"), info.version)
    with pytest.raises(StaleRecord) as stale:
        unit.submit(demo_db, admin, _values(info, industry="物业服务"), info.version)
    assert stale.value.message == "该记录已被他人修改，请刷新后重试"
    with demo_db.read() as s:
        org = s.get(Organisation, admin.organisation_id)
    assert org.fax == "010-66666666" and org.industry == info.values["industry"]  # the first save stands


def test_a_name_change_needs_the_register_check(demo_db, actor_of):
    admin = actor_of("qyadmin")
    info = unit.load(demo_db, admin)
    new_name = renamed_enterprise(info.name)
    with pytest.raises(ValidationError, match="须先点击【质监校验】") as refused:
        unit.submit(demo_db, admin, info.values, info.version, new_name=new_name)
    assert refused.value.field == "name"
    with pytest.raises(ValidationError, match="不一致"):
        unit.verify_name(demo_db, admin, "随便起的物业公司")
    with pytest.raises(ValidationError, match="无需质监校验"):
        unit.verify_name(demo_db, admin, info.name)
    assert unit.verify_name(demo_db, admin, new_name) == new_name
    changed = unit.submit(demo_db, admin, info.values, info.version, new_name=new_name, verified_name=new_name)
    assert changed.changes == (("单位名称", info.name, new_name),)


def test_the_register_provider_is_pluggable(demo_db, actor_of):
    class Remote:
        def registered_name(self, session, credit_code):
            return "远程登记的名称有限公司"

    admin = actor_of("qyadmin")
    previous = enterprise_register.set_provider(Remote())
    try:
        assert unit.verify_name(demo_db, admin, "远程登记的名称有限公司") == "远程登记的名称有限公司"
    finally:
        enterprise_register.set_provider(previous)


def test_register_import_is_for_the_system_administrator(demo_db, actor_of):
    admin, root = actor_of("qyadmin"), actor_of("admin")
    info = unit.load(demo_db, admin)
    code = dict(info.core)["社会诚信代码"]
    with pytest.raises(PermissionDenied):
        enterprise_register.import_rows(demo_db, admin, [(code, "新名称有限公司")])
    with pytest.raises(ValidationError, match="第1行"):
        enterprise_register.import_rows(demo_db, root, [("123", "x")])
    assert enterprise_register.import_rows(demo_db, root, [(code.lower(), "导入的新名称有限公司")]) == 1
    assert unit.verify_name(demo_db, admin, "导入的新名称有限公司") == "导入的新名称有限公司"


def test_only_the_enterprise_administrator_and_only_their_own_unit(demo_db, actor_of):
    for username in ("qyjb", "xqjb", "shenhe", "admin"):
        with pytest.raises(PermissionDenied):
            unit.load(demo_db, actor_of(username))
    mine, other = unit.load(demo_db, actor_of("qyadmin")), unit.load(demo_db, actor_of("duoshenfen"))
    assert mine.organisation_id != other.organisation_id
    changed = unit.submit(demo_db, actor_of("duoshenfen"), _values(other, fax="010-65555555"), other.version)
    assert changed.changes == (("单位传真", other.values["fax"], "010-65555555"),)
    with demo_db.read() as s:
        assert s.get(Organisation, mine.organisation_id).fax == mine.values["fax"]


async def test_the_screen_at_80x24_bad_postcode_then_a_verified_name_change(make_demo_app, demo_db):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "qyadmin", DEMO_PASSWORD)
        menu = app.screen.query_one("#menu")
        ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
        await pilot.press(*["down"] * ids.index("unit_info"), "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UnitInfoScreen)
        name = screen.info.name
        assert "社会诚信代码" in text_of(app, "#core")
        screen.query_one("#postcode").value = "1000"
        await pilot.press("f5")
        await settle(pilot)
        assert text_of(app, "#postcode-error") == "邮政编码应为6位数字"
        assert screen.query_one("#postcode").has_focus
        await pilot.press("ctrl+a", "ctrl+k", *"100021")

        screen.query_one("#name").value = renamed_enterprise(name)
        await pilot.press("f5")
        await settle(pilot)
        assert "须先点击【质监校验】" in text_of(app, "#name-error")
        await pilot.press("f4")
        await settle(pilot)
        assert text_of(app, "#name-error") == "质监校验已通过"
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog) and app.screen.title_text == "业务办理完成"
        assert "单位邮编" in app.screen.body and renamed_enterprise(name) in app.screen.body
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.info.name == renamed_enterprise(name)
    with demo_db.read() as s:
        org = s.execute(select(Organisation).where(Organisation.name == renamed_enterprise(name))).scalar_one()
    assert org.postcode == "100021"
