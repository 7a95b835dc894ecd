"""The enterprise register behind 【质监校验】 (BJ-25): which name a credit code is registered under.

A provider answers `registered_name(session, credit_code)`. The default reads the `enterprise_register`
table, which the system administrator imports (`import_rows`) and the demo fills; an installation with a
real register service installs its own provider with `set_provider()` at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import delete, select
from sqlmodel import Session

from models import EnterpriseRegister
from services.core.actor import Actor
from services.core.business_log import record_action
from services.core.clock import utcnow
from services.core.errors import PermissionDenied, ValidationError
from services.core.session_check import checked_read, checked_write
from services.identity import validators


class RegisterProvider(Protocol):
    def registered_name(self, session: Session, credit_code: str) -> str | None: ...


class TableRegister:
    """The register as imported into the database."""

    def registered_name(self, session: Session, credit_code: str) -> str | None:
        if not credit_code:
            return None
        return session.execute(select(EnterpriseRegister.name).where(
            EnterpriseRegister.credit_code == credit_code.upper())).scalar_one_or_none()


_provider: RegisterProvider = TableRegister()


def register_provider() -> RegisterProvider:
    return _provider


def set_provider(provider: RegisterProvider) -> RegisterProvider:
    """Install another provider; returns the previous one (tests put it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def import_rows(db, actor: Actor, rows: Iterable[tuple[str, str]], *, source: str = "导入",
                replace: bool = False) -> int:
    """Load (credit code, registered name) pairs; every row checked before anything is written."""
    if actor.role != "sysadmin":
        raise PermissionDenied("只有系统管理员可以导入企业登记信息")
    checked: dict[str, str] = {}
    for number, (code, name) in enumerate(rows, start=1):
        try:
            code = validators.credit_code(code)
        except ValidationError as exc:
            raise ValidationError(f"第{number}行：{exc.message}") from None
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise ValidationError(f"第{number}行：企业名称应为1到100个字")
        checked[code] = name
    now = utcnow()
    with checked_write(db, actor) as session:
        if replace:
            session.execute(delete(EnterpriseRegister))
        for code, name in checked.items():
            session.merge(EnterpriseRegister(credit_code=code, name=name, source=source[:40], updated_at=now))
        record_action(session, actor, "企业登记信息导入", summary=f"{len(checked)}条", detail={"rows": len(checked)})
    return len(checked)
