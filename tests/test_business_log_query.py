from datetime import date

import pytest

from services.core.clock import local, utcnow
from services.identity import auth
from services.records.business_log_query import LogFilter, parse_date, query_log
from services.core.errors import ValidationError
from tests.builders import PASSWORD

pytestmark = pytest.mark.both_backends


def _actor(db, username):
    result = auth.authenticate(db, username, PASSWORD)
    return auth.enter(db, result, result.identities[0].identity_id)


def test_each_organisation_sees_only_its_own_log(db, build):
    a, b = build.organisation(), build.organisation()
    office = build.organisation(kind="office", parent_id=a.id, credit_code=None)
    build.user("a1", roles=(("enterprise_admin", a.id),))
    build.user("b1", roles=(("enterprise_admin", b.id),))
    build.user("o1", roles=(("office_operator", office.id),))
    build.user("root", roles=(("sysadmin", None),))
    actor_a, actor_b, actor_o = _actor(db, "a1"), _actor(db, "b1"), _actor(db, "o1")
    assert [r.operator for r in query_log(db, actor_b, LogFilter()).rows] == ["张伟"]
    assert query_log(db, actor_a, LogFilter()).total == 2  # its own login and its office's
    assert query_log(db, actor_o, LogFilter()).total == 1
    assert query_log(db, _actor(db, "root"), LogFilter()).total == 4


def test_filters_and_validation(db, build):
    org = build.organisation()
    build.user("a1", roles=(("enterprise_admin", org.id),))
    actor = _actor(db, "a1")
    today = local(utcnow()).date()  # the filter's days are Asia/Shanghai's: from 16:00 UTC on, a day ahead
    assert query_log(db, actor, LogFilter(start=today, end=today, business_type="登录")).total == 1
    assert query_log(db, actor, LogFilter(business_type="退出登录")).total == 0
    assert query_log(db, actor, LogFilter(application_no="WX20260101000001")).total == 0
    with pytest.raises(ValidationError) as err:
        query_log(db, actor, LogFilter(start=date(2026, 2, 1), end=date(2026, 1, 1)))
    assert err.value.field == "end"
    with pytest.raises(ValidationError) as err:
        parse_date("2026/01/01", "start", "开始日期")
    assert err.value.message == "开始日期格式应为 2026-01-31"
