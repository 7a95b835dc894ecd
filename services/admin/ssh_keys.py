"""SSH key binding (issue 13): the enterprise administrator binds an operator's SSH public key (pasted,
or its SHA256 fingerprint) to that operator's identity, and unbinds it. One key names one identity and
an identity has one key; each change is one transaction with its business-log row."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from models import SshKey
from services.admin.operators_query import load_operator
from services.admin.scope import admin_scope
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.clock import local_text
from services.core.errors import ServiceError
from services.core.session_check import checked_read, checked_write
from services.identity.ssh_keys import parse_key_text

KEY_TAKEN = "该SSH密钥已绑定其他操作员，一个密钥只能绑定一个身份"
ALREADY_BOUND = "该操作员已绑定SSH密钥，请先解除绑定"


@dataclass(frozen=True)
class BoundKey:
    identity_id: int
    fingerprint: str
    key_type: str
    bound_at: str


def _bound_key(row: SshKey) -> BoundKey:
    return BoundKey(row.identity_id, row.fingerprint, row.key_type or "", local_text(row.bound_at))


def key_of(db, actor: Actor, identity_id: int) -> BoundKey | None:
    with checked_read(db, actor) as session:
        load_operator(session, admin_scope(session, actor), identity_id)
        row = session.execute(select(SshKey).where(SshKey.identity_id == identity_id)).scalar_one_or_none()
        return _bound_key(row) if row else None


def bind_key(db, actor: Actor, identity_id: int, key_text: str) -> BoundKey:
    key = parse_key_text(key_text)
    try:
        with checked_write(db, actor) as session:
            identity, user, _org = load_operator(session, admin_scope(session, actor), identity_id)
            if identity.status != "active":
                raise ServiceError("该操作员已停用，不能绑定SSH密钥", field="key")
            if session.execute(select(SshKey.id).where(SshKey.identity_id == identity_id)).first():
                raise ServiceError(ALREADY_BOUND, field="key")
            if session.execute(select(SshKey.id).where(SshKey.fingerprint == key.fingerprint)).first():
                raise ServiceError(KEY_TAKEN, field="key")
            row = SshKey(identity_id=identity_id, fingerprint=key.fingerprint, key_type=key.key_type,
                         bound_by=actor.user_id)
            session.add(row)
            session.flush()
            record_action(session, actor, "绑定SSH密钥",
                          summary=f"为操作员 {user.username} {user.real_name} 绑定SSH密钥 {key.fingerprint}",
                          detail={"operator_id": user.username, "identity_id": identity_id,
                                  "fingerprint": key.fingerprint, "key_type": key.key_type})
            return _bound_key(row)
    except IntegrityError as exc:  # another administrator bound the same key or identity meanwhile
        taken = "fingerprint" in str(exc.orig).lower()
        raise ServiceError(KEY_TAKEN if taken else ALREADY_BOUND, field="key") from None


def unbind_key(db, actor: Actor, identity_id: int) -> str:
    """Returns the fingerprint that was bound."""
    with checked_write(db, actor) as session:
        _identity, user, _org = load_operator(session, admin_scope(session, actor), identity_id)
        row = session.execute(select(SshKey).where(SshKey.identity_id == identity_id)).scalar_one_or_none()
        if row is None:
            raise ServiceError("该操作员未绑定SSH密钥")
        fingerprint = row.fingerprint
        session.execute(delete(SshKey).where(SshKey.id == row.id))
        record_action(session, actor, "解除SSH密钥绑定",
                      summary=f"解除操作员 {user.username} {user.real_name} 的SSH密钥 {fingerprint}",
                      detail={"operator_id": user.username, "identity_id": identity_id, "fingerprint": fingerprint})
        return fingerprint


__all__ = ["BoundKey", "bind_key", "key_of", "unbind_key"]
