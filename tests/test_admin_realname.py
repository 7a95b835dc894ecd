"""用户审核 services (SH-06): who may submit and decide, the reason, the lock after approval, the notices."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import AuditEntry, OutboxMessage, RealNameRequest, User
from services.admin import realname
from services.core.errors import NotFound, PermissionDenied, ServiceError, StaleRecord, ValidationError
from tests.admin_fixtures import identity_of

ID_NO = "11010519491231002X"


def _form(db, username="qyjb", **changes):
    values = dict(real_name="叶瑶咏", id_type="居民身份证", id_no=ID_NO, mobile=identity_of(db, username).mobile)
    values.update(changes)
    return realname.RequestForm(**values)


def _pending(db, actor):
    return {r.operator_id: r for r in realname.pending_requests(db, actor)}


def test_submit_checks_the_fields_and_one_pending_at_a_time(sh_db, sh_actor):
    clerk = sh_actor("qyjb")
    with pytest.raises(ValidationError) as err:
        realname.submit_request(sh_db, clerk, _form(sh_db, id_no="110105194912310021"))
    assert err.value.field == "id_no"
    with pytest.raises(ValidationError) as err:
        realname.submit_request(sh_db, clerk, _form(sh_db, id_type="学生证"))
    assert err.value.field == "id_type"
    realname.submit_request(sh_db, clerk, _form(sh_db, id_no=ID_NO.lower()))
    with pytest.raises(ServiceError, match="正在审核中"):
        realname.submit_request(sh_db, clerk, _form(sh_db))
    assert realname.my_request(sh_db, clerk).status == "pending"
    with pytest.raises(PermissionDenied):
        realname.submit_request(sh_db, sh_actor("qyadmin"), _form(sh_db, "qyadmin"))


def test_only_the_own_enterprise_s_administrator_decides(sh_db, sh_actor):
    clerk, office_clerk = sh_actor("qyjb"), sh_actor("xqjb")
    realname.submit_request(sh_db, clerk, _form(sh_db))
    realname.submit_request(sh_db, office_clerk, _form(sh_db, "xqjb", real_name="莫家"))
    admin, other = sh_actor("qyadmin"), sh_actor("duoshenfen")
    rows = _pending(sh_db, admin)
    assert {"qyjb", "xqjb", "100023"} <= set(rows) and "*" in rows["qyjb"].id_no_masked
    assert realname.pending_requests(sh_db, other) == []
    with pytest.raises(NotFound):
        realname.decide(sh_db, other, rows["qyjb"].request_id, rows["qyjb"].version, True)
    with pytest.raises(PermissionDenied):
        realname.decide(sh_db, clerk, rows["qyjb"].request_id, rows["qyjb"].version, True)
    with pytest.raises(PermissionDenied):
        realname.pending_requests(sh_db, clerk)


def test_reject_needs_a_reason_and_allows_a_new_request(sh_db, sh_actor):
    clerk, admin = sh_actor("qyjb"), sh_actor("qyadmin")
    realname.submit_request(sh_db, clerk, _form(sh_db))
    row = _pending(sh_db, admin)["qyjb"]
    with pytest.raises(ValidationError, match="驳回原因"):
        realname.decide(sh_db, admin, row.request_id, row.version, False, "  ")
    realname.decide(sh_db, admin, row.request_id, row.version, False, "证件照片不清晰")
    with pytest.raises(StaleRecord):  # a second administrator's decision on the same request
        realname.decide(sh_db, admin, row.request_id, row.version, True)
    mine = realname.my_request(sh_db, clerk)
    assert (mine.status, mine.reason, mine.locked) == ("rejected", "证件照片不清晰", False)
    assert realname.unseen_results(sh_db, clerk) == ["您的实名认证申请已被驳回，原因：证件照片不清晰"]
    assert realname.unseen_results(sh_db, clerk) == []
    realname.submit_request(sh_db, clerk, _form(sh_db))
    with sh_db.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "用户审核驳回")).scalars().one()
    detail = json.loads(entry.detail)
    assert detail["old"]["status"] == "pending" and detail["new"]["status"] == "rejected"
    assert ID_NO not in entry.detail  # the full ID number never goes into the trail


def test_approval_takes_the_identity_and_locks_it(sh_db, sh_actor):
    clerk, admin = sh_actor("qyjb"), sh_actor("qyadmin")
    realname.submit_request(sh_db, clerk, _form(sh_db, real_name="叶瑶咏"))
    row = _pending(sh_db, admin)["qyjb"]
    realname.decide(sh_db, admin, row.request_id, row.version, True)
    with sh_db.read() as s:
        user = s.get(User, clerk.user_id)
        sms = s.execute(select(OutboxMessage).where(OutboxMessage.template == "realname_approved")).scalars().one()
        request = s.get(RealNameRequest, row.request_id)
    assert (user.real_name, user.id_type, user.id_no) == ("叶瑶咏", "居民身份证", ID_NO)
    assert sms.recipient == identity_of(sh_db, "qyjb").mobile and request.decided_by == admin.user_id
    assert realname.my_request(sh_db, clerk).locked
    with pytest.raises(ServiceError, match="不能再修改"):
        realname.submit_request(sh_db, clerk, _form(sh_db, real_name="叶瑶"))
