"""Delivering one message: e-mail over SMTP, SMS through an HTTP gateway. Both raise DeliveryFailed."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.notify.settings import SmsSettings, SmtpSettings


class DeliveryFailed(Exception):
    """The channel did not take the message; the sender tries again later. The text names no secret."""


def send_email(settings: SmtpSettings, recipient: str, subject: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    message.set_content(text)
    context = ssl.create_default_context()
    try:
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP {type(exc).__name__}: {getattr(exc, 'smtp_code', '')}".strip()) from None


def send_sms(settings: SmsSettings, recipient: str, text: str) -> None:
    """POST {key, template, mobile, text} as JSON; any 2xx answer is a delivery."""
    body = json.dumps({"key": settings.key, "template": settings.template, "mobile": recipient, "text": text},
                      ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(settings.url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:
            if not 200 <= response.status < 300:
                raise DeliveryFailed(f"短信网关返回 {response.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"短信网关返回 {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise DeliveryFailed(f"短信网关不可用：{type(exc).__name__}") from None
