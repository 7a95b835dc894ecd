"""SSH key binding by the enterprise administrator, and login with a bound key (password as the second
factor), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, update

from models import AuditEntry, BusinessLog, Identity, SshKey, User
from services.admin import operators_query as q
from services.admin import ssh_keys
from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationError
from services.demo.accounts import DEMO_PASSWORD
from services.identity import auth, ssh_login
from tests.admin_fixtures import identity_of
from tests.ssh_keys_files import make_key

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    return [make_key(folder, f"k{i}") for i in range(3)]


def _log(db, business_type: str) -> BusinessLog | None:
    with db.read() as s:
        return s.execute(select(BusinessLog).where(BusinessLog.business_type == business_type)
                         .order_by(BusinessLog.id.desc())).scalars().first()


def test_bind_show_and_unbind(demo_db, actor_of, keys):
    admin = actor_of("qyadmin")
    clerk = identity_of(demo_db, "qyjb")
    line, fingerprint = keys[0]
    bound = ssh_keys.bind_key(demo_db, admin, clerk.id, line)
    assert (bound.fingerprint, bound.key_type) == (fingerprint, "ssh-ed25519")
    assert ssh_keys.key_of(demo_db, admin, clerk.id) == bound
    detail = q.operator_detail(demo_db, admin, clerk.id)
    assert detail.ssh_key == fingerprint and ("SSH密钥", fingerprint) in detail.lines()
    row = _log(demo_db, "绑定SSH密钥")
    assert row.user_id == admin.user_id and fingerprint in row.summary and "qyjb" in row.summary
    with demo_db.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "绑定SSH密钥")).scalars().one()
    assert json.loads(entry.detail)["fingerprint"] == fingerprint

    assert ssh_keys.unbind_key(demo_db, admin, clerk.id) == fingerprint
    assert ssh_keys.key_of(demo_db, admin, clerk.id) is None
    assert "SSH密钥" in _log(demo_db, "解除SSH密钥绑定").summary
    with pytest.raises(ServiceError, match="未绑定"):
        ssh_keys.unbind_key(demo_db, admin, clerk.id)
    # by fingerprint alone, the same key binds again
    assert ssh_keys.bind_key(demo_db, admin, clerk.id, fingerprint).key_type == ""


def test_one_key_one_identity(demo_db, actor_of, keys):
    admin = actor_of("qyadmin")
    clerk, other = identity_of(demo_db, "qyjb"), identity_of(demo_db, "xqjb")
    ssh_keys.bind_key(demo_db, admin, clerk.id, keys[0][0])
    with pytest.raises(ServiceError, match="已绑定其他操作员"):
        ssh_keys.bind_key(demo_db, admin, other.id, keys[0][1])  # the same key, as its fingerprint
    with pytest.raises(ServiceError, match="请先解除绑定"):
        ssh_keys.bind_key(demo_db, admin, clerk.id, keys[1][0])
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(SshKey)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(BusinessLog)
                         .where(BusinessLog.business_type == "绑定SSH密钥")).scalar_one() == 1


def test_only_the_enterprise_administrator_binds_their_own_operators(demo_db, actor_of, keys):
    clerk = identity_of(demo_db, "qyjb")
    with pytest.raises(PermissionDenied):
        ssh_keys.bind_key(demo_db, actor_of("qyjb"), clerk.id, keys[0][0])
    with pytest.raises(PermissionDenied):
        ssh_keys.unbind_key(demo_db, actor_of("shenhe"), clerk.id)
    with pytest.raises(NotFound):  # another enterprise's administrator: as if there were no such operator
        ssh_keys.bind_key(demo_db, actor_of("duoshenfen"), clerk.id, keys[0][0])
    with pytest.raises(ValidationError) as caught:
        ssh_keys.bind_key(demo_db, actor_of("qyadmin"), clerk.id, "not a key")
    assert caught.value.field == "key"
    with demo_db.write() as s:
        s.execute(update(Identity).where(Identity.id == clerk.id).values(status="disabled"))
    with pytest.raises(ServiceError, match="已停用"):
        ssh_keys.bind_key(demo_db, actor_of("qyadmin"), clerk.id, keys[0][0])
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(SshKey)).scalar_one() == 0


def test_a_bound_key_selects_the_identity_and_the_password_is_the_second_factor(demo_db, actor_of, keys):
    admin = actor_of("qyadmin")
    clerk = identity_of(demo_db, "qyjb")
    line, fingerprint = keys[0]
    assert ssh_login.key_identity(demo_db, fingerprint) is None
    ssh_keys.bind_key(demo_db, admin, clerk.id, line)
    known = ssh_login.key_identity(demo_db, fingerprint)
    assert known.username == "qyjb" and known.identity_id == clerk.id and known.role_label
    result, actor = ssh_login.authenticate_key(demo_db, fingerprint, DEMO_PASSWORD)
    assert actor.identity_id == clerk.id and actor.username == "qyjb" and result.user_id == actor.user_id
    login = _log(demo_db, "登录")
    assert login.user_id == actor.user_id and "SSH密钥" in login.summary

    with pytest.raises(ServiceError, match=auth.BAD_CREDENTIALS) as caught:
        ssh_login.authenticate_key(demo_db, fingerprint, "wrong-Pass1")
    assert caught.value.field == "password"
    with demo_db.read() as s:
        assert s.get(User, clerk.user_id).failed_attempts == 1
    with pytest.raises(ValidationError, match="请输入密码"):
        ssh_login.authenticate_key(demo_db, fingerprint, "")


def test_a_bound_key_locks_after_five_wrong_passwords(demo_db, actor_of, keys):
    ssh_keys.bind_key(demo_db, actor_of("qyadmin"), identity_of(demo_db, "qyjb").id, keys[0][0])
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(ServiceError, match=auth.BAD_CREDENTIALS):
            ssh_login.authenticate_key(demo_db, keys[0][1], "wrong-Pass1")
    with pytest.raises(auth.AccountLocked):
        ssh_login.authenticate_key(demo_db, keys[0][1], "wrong-Pass1")
    with pytest.raises(auth.AccountLocked):  # and the right password no longer helps, nor the user name
        ssh_login.authenticate_key(demo_db, keys[0][1], DEMO_PASSWORD)
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(demo_db, "qyjb", DEMO_PASSWORD)


def test_unbound_or_disabled_keys_fall_back_to_the_login_form(demo_db, actor_of, keys):
    admin = actor_of("qyadmin")
    clerk = identity_of(demo_db, "qyjb")
    with pytest.raises(ServiceError, match="未绑定") as caught:
        ssh_login.authenticate_key(demo_db, keys[2][1], DEMO_PASSWORD)
    assert caught.value.field == "username"
    ssh_keys.bind_key(demo_db, admin, clerk.id, keys[0][0])
    with demo_db.write() as s:
        s.execute(update(Identity).where(Identity.id == clerk.id).values(status="disabled"))
    assert ssh_login.key_identity(demo_db, keys[0][1]) is None
    with pytest.raises(ServiceError, match="停用") as caught:
        ssh_login.authenticate_key(demo_db, keys[0][1], DEMO_PASSWORD)
    assert caught.value.field == "username"
