"""Login with a bound SSH key (issue 13): the key sshd authenticated the session with selects the
identity, and the password is the second factor. The fingerprint comes only from
services.identity.ssh_keys.session_key (the file sshd wrote), never from what a screen shows.

The password check is auth.authenticate's: counted before it is checked, locked after five failures,
and the same message for every wrong password. There is no captcha: sshd has already made the client
prove it holds the private key, which a guessing robot does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from models import Identity, Organisation, SshKey, User
from services.core.actor import Actor
from services.core.clock import utcnow
from services.core.errors import ServiceError
from services.core.profiles import ROLE_LABELS
from services.identity import auth
from services.identity.passwords import verify_password

NOT_BOUND = "该SSH密钥未绑定身份，请使用用户名登录"


@dataclass(frozen=True)
class KeyIdentity:
    """What the login screen shows for a bound key: whose it is (the key's holder may know that)."""

    identity_id: int
    username: str
    real_name: str
    role_label: str
    organisation_name: str


def _bound(session, fingerprint: str):
    return session.execute(
        select(SshKey, Identity, User)
        .join(Identity, SshKey.identity_id == Identity.id)
        .join(User, Identity.user_id == User.id)
        .where(SshKey.fingerprint == fingerprint)
    ).first()


def key_identity(db, fingerprint: str) -> KeyIdentity | None:
    """The identity the key is bound to, or None: unbound, or its identity, user or organisation is no
    longer active (the ordinary login screen is then shown, and its own messages apply)."""
    with db.read() as session:
        row = _bound(session, fingerprint)
        if row is None:
            return None
        _key, identity, user = row
        if identity.status != "active" or user.status != "active":
            return None
        org = session.get(Organisation, identity.organisation_id) if identity.organisation_id else None
        if org is not None and org.status != "active":
            return None
        return KeyIdentity(identity.id, user.username or user.cert_no or "", user.real_name,
                           ROLE_LABELS[identity.role], org.name if org else "（未认证单位）")


def authenticate_key(db, fingerprint: str, password: str, *, now: datetime | None = None
                     ) -> tuple[auth.LoginResult, Actor | None]:
    """Check the password of the user whose identity the key is bound to, and enter that identity.

    With an authenticator (BY-08) the actor is None: the result offers only the key's identity and is
    entered once services.identity.otp.verify_login_code has passed."""
    now = now or utcnow()
    password = auth._require(password, "password", "密码")
    with db.read() as session:
        row = _bound(session, fingerprint)
    if row is None:  # unbound meanwhile: no attempt to count, there is no account to guess for
        raise ServiceError(NOT_BOUND, field="username")
    key, identity, user = row
    claim = auth._claim_attempt(db, User, User.id == user.id, now)
    matches = verify_password(user.password_hash, password)
    identities, otp_pending = auth.settle_attempt(db, user, password, claim, matches,
                                                  User, User.id == user.id, now)
    if not any(i.identity_id == key.identity_id for i in identities):
        raise ServiceError("该SSH密钥绑定的身份已停用，请联系单位管理员", field="username")
    if otp_pending:  # the key chose the identity: the code step must not offer another
        identities = tuple(i for i in identities if i.identity_id == key.identity_id)
    result = auth.LoginResult(user_id=user.id, username=user.username or user.cert_no or "",
                              real_name=user.real_name, must_change_password=user.must_change_password,
                              identities=identities, otp_pending=otp_pending, via="SSH密钥")
    if otp_pending:
        return result, None
    return result, auth.enter(db, result, key.identity_id)
