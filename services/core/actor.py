"""Who is acting: every service call takes one, and every permission check reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int
    identity_id: int | None
    username: str
    real_name: str
    role: str
    organisation_id: int | None
    organisation_name: str
    organisation_kind: str | None
    district_id: int | None
    channel: str = "终端"  # the business log's 交易渠道: 终端 (SSH), 浏览器 (wxzj serve) or 命令行

    @property
    def is_enterprise_side(self) -> bool:
        return self.organisation_kind in ("enterprise", "office")
