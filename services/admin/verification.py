"""手机二要素校验: does this mobile number belong to a person of this name?

Pluggable: the default provider reads the real-name register table (importable, filled by the demo);
an HTTP provider asks a verification service. The app picks one at start-up with `configure()` from
its config; tests call `configure()` with what they need. A provider answers True (match), False
(mismatch) or raises VerificationUnavailable when it cannot tell, so an outage never reads as a
mismatch nor as a match.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlmodel import Session

from models import RealNameRecord
from services.core.errors import ServiceError

_log = logging.getLogger("wxzj.admin")
MISMATCH = "您填写的身份信息与手机号认证失败，请确认信息是否填写正确。"


class VerificationUnavailable(ServiceError):
    def __init__(self) -> None:
        super().__init__("手机号实名认证服务暂时不可用，请稍后重试", field="mobile")


class Provider(Protocol):
    def matches(self, session: Session, name: str, mobile: str) -> bool: ...


class RegisterProvider:
    """The real-name register table (real_name_register)."""

    def matches(self, session: Session, name: str, mobile: str) -> bool:
        registered = session.execute(select(RealNameRecord.name).where(RealNameRecord.mobile == mobile)).scalar()
        return registered is not None and registered == name


@dataclass(frozen=True)
class HttpProvider:
    """POST {"name", "mobile"} as JSON to `url` (with `Authorization: Bearer key` when a key is set);
    the answer {"match": true|false}. Anything else — no answer, a 5xx, a body without "match" —
    is VerificationUnavailable."""

    url: str
    key: str = ""
    timeout: float = 5.0

    def matches(self, session: Session, name: str, mobile: str) -> bool:
        # Imported here: urllib.request brings http.client and email (~1 MB) into every clerk's process,
        # and only an installation with a verification service ever calls it.
        import urllib.error
        import urllib.request

        body = json.dumps({"name": name, "mobile": mobile}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            _log.warning("identity verification unavailable: %s", type(exc).__name__)
            raise VerificationUnavailable() from None
        if not isinstance(answer, dict) or not isinstance(answer.get("match"), bool):
            _log.warning("identity verification: unexpected answer")
            raise VerificationUnavailable()
        return answer["match"]


_provider: Provider = RegisterProvider()


def configure(provider: Provider | None) -> None:
    """Use `provider` from now on (None: back to the register table)."""
    global _provider
    _provider = provider or RegisterProvider()


def provider_from_settings(url: str | None, key: str | None = None) -> Provider:
    return HttpProvider(url, key or "") if url else RegisterProvider()


def check_name_and_mobile(session: Session, name: str, mobile: str) -> None:
    """Raise the manual's message at the mobile field unless the pair matches."""
    if not _provider.matches(session, name, mobile):
        raise ServiceError(MISMATCH, field="mobile")
