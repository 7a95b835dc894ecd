"""Where messages go. Built by the configuration loader (tui.config) from the [smtp] and [sms] tables; a channel
without settings keeps its messages in the outbox (the demo), where `wxzj outbox` shows them."""

from __future__ import annotations

from dataclasses import dataclass

SECURITY_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    security: str = "starttls"  # none | starttls | tls
    user: str | None = None
    password: str | None = None
    sender: str = "wxzj@localhost"
    timeout: float = 20.0


@dataclass(frozen=True)
class SmsSettings:
    url: str
    key: str = ""
    template: str = ""  # the gateway's own template id, passed along with each message
    timeout: float = 10.0


@dataclass(frozen=True)
class NotifySettings:
    smtp: SmtpSettings | None = None
    sms: SmsSettings | None = None

    def configured(self, channel: str) -> bool:
        return (self.smtp if channel == "email" else self.sms) is not None


NOT_CONFIGURED = NotifySettings()
