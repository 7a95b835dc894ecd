"""维修资金网上业务经办人信息确认 (BJ-06/07): a key issued before the system started is confirmed once, with its
certificate number, password and the captcha; afterwards the key logs in directly.

BJ-26: in Beijing a former 小区管理处 key is an enterprise operator's key of the office; its identity keeps
the office's community, so nothing else changes for its holder.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from models import Organisation, User
from services.core.business_log import record_action
from services.core.errors import ServiceError, ValidationError
from services.identity import auth, ratelimit
from services.identity.captcha import Captcha

NEEDS_CONFIRMATION = "新系统上线前已有密钥的用户首次登录，请先进行维修资金网上业务经办人信息确认（F4）"
FAILED = "验证失败：证书编号或登录密码错误，请修改后再次提交"
ALREADY = "该密钥已完成经办人信息确认，请直接用密钥登录"


@dataclass(frozen=True)
class Confirmed:
    cert_no: str
    real_name: str
    organisation_name: str


def needs_confirmation(db, actor, cert_no: str) -> bool:
    """Whether a key login must first go through the confirmation (asked before the key login itself)."""
    with db.read() as session:  # no session check: before login
        legacy = session.execute(select(User.legacy_key).where(User.cert_no == cert_no.strip())).scalar()
    return bool(legacy)


def confirm(db, actor, cert_no: str, password: str, captcha: Captcha, answer: str, *,
            source: str | None = None) -> Confirmed:
    """【提交】: the key's password checked as a key login would (captcha first, lockout counted)."""
    ratelimit.check_login(db, cert_no, source)
    cert_no = cert_no.strip()
    try:
        login = auth.authenticate(db, cert_no, password, method="key", captcha=captcha, captcha_answer=answer)
    except ValidationError:
        raise
    except ServiceError as error:
        if error.message == auth.BAD_CREDENTIALS:
            raise ServiceError(FAILED, field="password") from None
        raise
    with db.write() as session:  # no session check: before login
        user = session.get(User, login.user_id)
        if not user.legacy_key:
            raise ServiceError(ALREADY, field="username")
        session.execute(update(User).where(User.id == user.id, User.legacy_key.is_(True))
                        .values(legacy_key=False, version=User.version + 1))
        identity = login.identities[0]
        org = session.get(Organisation, identity.organisation_id) if identity.organisation_id else None
        record_action(session, None, "经办人信息确认", user_id=user.id, organisation_id=identity.organisation_id,
                      summary=f"{user.real_name}确认维修资金网上业务经办人信息（证书编号{cert_no}）")
    return Confirmed(cert_no=cert_no, real_name=login.real_name, organisation_name=org.name if org else "")
