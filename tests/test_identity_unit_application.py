"""物业单位注册申请 (BJ-05) from the registrant's menu, its print and 补打, the department's review: return with a
reason (notified, shown at next login), correct and resubmit, approve and the key logs in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import BusinessLog, Identity, Organisation, OutboxMessage, PrintedDocument, UnitApplication, User
from screens.common.dialogs import ConfirmDialog, NoticeDialog
from screens.common.reason import ReasonDialog
from screens.identity.unit_application import UnitApplicationScreen, UnitSubmittedScreen
from screens.review.unit_applications import UnitReviewQueueScreen, UnitReviewScreen
from screens.shell.home import HomeScreen
from services.core.errors import PermissionDenied, ValidationError
from services.identity import auth, unit_application
from services.identity.captcha import Captcha
from services.printing import documents
from services.review import unit_applications as review
from tests.builders import PASSWORD
from tests.pdf_text import pdf_text
from tests.pilot import login, settle, text_of, type_text, wait_for

CREDIT = "91350100M000100Y43"
VALUES = {"name": "京华物业服务有限公司", "org_code": "M000100Y-4", "credit_code": CREDIT, "address": "北京市朝阳区望京街1号",
          "legal_rep_name": "钱进", "legal_rep_id_type": "居民身份证", "legal_rep_id_no": "11010519491231002X",
          "contact_name": "赵敏", "contact_mobile": "13511112222", "authority": "朝阳区住房和城乡建设委员会"}


@pytest.fixture
def people(build):
    district = build.district("朝阳区")
    dept = build.organisation(kind="authority", name="朝阳区住房和城乡建设委员会", credit_code=None,
                              district_id=district.id)
    build.user("shenhe", roles=(("reviewer", dept.id),), real_name="孙审")
    build.user("zhuce", roles=(("registrant", None),), real_name="赵敏", mobile="13511112222")
    return dept


def actor(db, username):
    result = auth.authenticate(db, username, PASSWORD)
    return auth.enter(db, result, result.identities[0].identity_id)


async def open_menu_item(pilot, label: str) -> None:
    from textual.widgets import OptionList

    menu = pilot.app.screen.query_one("#menu", OptionList)
    index = next(i for i in range(menu.option_count) if label in str(menu.get_option_at_index(i).prompt))
    menu.highlighted = index
    await pilot.press("enter")
    await settle(pilot)


async def test_apply_print_return_resubmit_approve(make_app, people, db, tmp_path, monkeypatch):
    monkeypatch.setattr("screens.common.deliver.downloads_dir", lambda: tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "zhuce", PASSWORD)
        await open_menu_item(pilot, "物业单位注册申请")
        assert await wait_for(pilot, lambda: isinstance(app.screen, UnitApplicationScreen))
        assert text_of(app, "#contact_name") == "赵敏"  # from the registration
        for key in ("name", "org_code", "credit_code", "address", "legal_rep_name", "legal_rep_id_no"):
            app.screen.query_one(f"#{key}").value = VALUES[key]
        app.screen.focus_field("authority")
        await pilot.press("right")  # the one department
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, UnitSubmittedScreen)
        number = app.screen.result.application_no
        assert number.startswith("ZC") and number in text_of(app, "#done")
        await pilot.press("f6")
        await settle(pilot)
        assert await wait_for(pilot, lambda: list(tmp_path.glob("unit-application-*.pdf")))
    text = pdf_text(next(tmp_path.glob("unit-application-*.pdf")).read_bytes())
    assert "物业单位注册申请单" in text and "京华物业服务有限公司" in text and number in text
    with db.read() as s:
        app_row = s.execute(select(UnitApplication)).scalar_one()
        assert app_row.status == "submitted" and app_row.due_on is not None
        assert s.execute(select(Organisation.status).where(Organisation.credit_code == CREDIT)).scalar_one() == "pending"
        serial = s.execute(select(PrintedDocument.serial_no)).scalar_one()

    # 补打 by the applicant renders the stored snapshot again
    zhuce = actor(db, "zhuce")
    again = documents.reprint(db, zhuce, serial)
    assert "补打" in pdf_text(again.pdf_bytes)

    # the department returns it with a reason
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "shenhe", PASSWORD)
        await open_menu_item(pilot, "单位注册审核")
        assert isinstance(app.screen, UnitReviewQueueScreen)
        await settle(pilot)
        assert "京华物业服务有限公司" in str(app.screen.query_one("#queue").get_row_at(0))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitReviewScreen) and CREDIT in text_of(app, "#detail")
        await pilot.press("f3")
        assert isinstance(app.screen, ReasonDialog)
        await type_text(pilot, "营业执照复印件未加盖公章")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitReviewQueueScreen)
    with db.read() as s:
        sms = s.execute(select(OutboxMessage.text).where(OutboxMessage.template == "application_returned")).scalar_one()
        assert "营业执照复印件未加盖公章" in sms

    # next login shows the reason; the form opens with it, is corrected and resubmitted under the same number
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "zhuce", PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        assert await wait_for(pilot, lambda: any("营业执照复印件未加盖公章" in str(n.message)
                                                 for n in app._notifications))
        await open_menu_item(pilot, "物业单位注册申请")
        assert await wait_for(pilot, lambda: isinstance(app.screen, UnitApplicationScreen))
        assert "营业执照复印件未加盖公章" in text_of(app, "#status")
        app.screen.query_one("#address").value = "北京市朝阳区望京街2号"
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, UnitSubmittedScreen) and app.screen.result.application_no == number
        assert app.screen.result.resubmitted

    # approval: the key logs in as the enterprise's administrator and must change its initial password
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "shenhe", PASSWORD)
        await open_menu_item(pilot, "单位注册审核")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        body = app.screen.body
    cert_no = re.search(r"密钥证书编号：(\S+)", body).group(1)
    initial = re.search(r"初始密码：(\S+)", body).group(1)
    captcha = Captcha()
    result = auth.authenticate(db, cert_no, initial, method="key", captcha=captcha, captcha_answer=captcha.code)
    assert result.must_change_password and result.identities[0].role == "enterprise_admin"
    with db.read() as s:
        org = s.execute(select(Organisation).where(Organisation.credit_code == CREDIT)).scalar_one()
        assert org.status == "active" and org.address == "北京市朝阳区望京街2号"
        assert result.identities[0].organisation_id == org.id
        kinds = s.execute(select(BusinessLog.business_type)).scalars().all()
        assert {"物业单位注册申请", "物业单位注册审批退回", "物业单位注册审核通过"} <= set(kinds)
        key_hash = s.execute(select(User.password_hash).where(User.cert_no == cert_no)).scalar_one()
        assert initial not in key_hash


def test_service_refusals(db, people, build):
    zhuce = actor(db, "zhuce")
    shenhe = actor(db, "shenhe")
    with pytest.raises(ValidationError) as err:
        unit_application.submit(db, zhuce, {**VALUES, "org_code": "D2143569-X"})
    assert err.value.field == "org_code"
    with pytest.raises(ValidationError) as err:
        unit_application.submit(db, zhuce, {**VALUES, "authority": ""})
    assert err.value.field == "authority"
    with pytest.raises(PermissionDenied):
        unit_application.submit(db, shenhe, VALUES)
    build.organisation(credit_code=CREDIT)
    with pytest.raises(ValidationError) as err:
        unit_application.submit(db, zhuce, VALUES)
    assert err.value.message == unit_application.DUPLICATE_CODE


def test_other_department_cannot_review(db, people, build):
    other = build.organisation(kind="authority", name="海淀区住房和城乡建设委员会", credit_code=None)
    build.user("haidian", roles=(("reviewer", other.id),))
    unit_application.submit(db, actor(db, "zhuce"), VALUES)
    with db.read() as s:
        app_id = s.execute(select(UnitApplication.id)).scalar_one()
    haidian = actor(db, "haidian")
    assert review.queue(db, haidian) == []
    with pytest.raises(Exception, match="不由本管理部审核"):
        review.approve(db, haidian, app_id)
    with pytest.raises(ValidationError, match="不能重复提交"):
        unit_application.submit(db, actor(db, "zhuce"), VALUES)
