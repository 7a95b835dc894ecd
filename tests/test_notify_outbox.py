"""The outbox and its sender against a real SMTP server (aiosmtpd) and a local HTTP SMS gateway, and the
verification codes' limits."""

from __future__ import annotations

import json
import re
import socket
import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from models import BusinessLog, OutboxMessage, VerificationCode
from services.core.business_log import record_action
from services.core.clock import utcnow
from services.core.errors import ValidationError
from services.notify import codes, outbox, sender
from services.notify.settings import NotifySettings, SmsSettings, SmtpSettings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []
            self.logins = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy)))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        inbox.logins.append(auth_data.login.decode())
        return AuthResult(success=auth_data.password == b"mail-secret")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    yield controller, inbox
    controller.stop()


class Gateway:
    """An SMS gateway that answers 500 to its first `failures` requests."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.requests.append(body)
                status = 500 if len(gateway.requests) <= gateway.failures else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_factory():
    made = []

    def make(failures=0):
        made.append(Gateway(failures))
        return made[-1]

    yield make
    for g in made:
        g.close()


def _send_code(db, recipient, channel="sms", now=None, source=None, **values):
    with db.write() as session:
        codes.send(session, purpose="register", channel=channel, recipient=recipient, now=now, source=source,
                   **values)


def _code_in_outbox(db, recipient) -> str:
    with db.read() as session:
        text = session.execute(select(OutboxMessage.text).where(OutboxMessage.recipient == recipient)
                               .order_by(OutboxMessage.id.desc())).scalars().first()
    return re.search(r"(\d{6})", text).group(1)


def test_message_exists_only_when_the_action_commits(db):
    with pytest.raises(RuntimeError):
        with db.write() as session:
            record_action(session, None, "测试业务")
            outbox.queue(session, "sms", "13800138000", "verify_code", code="123456", secret="123456")
            raise RuntimeError("rolled back")
    with db.read() as session:
        assert session.execute(select(OutboxMessage)).first() is None
        assert session.execute(select(BusinessLog)).first() is None


def test_email_delivered_over_smtp_and_code_read_from_the_mail(db, smtp_server):
    controller, inbox = smtp_server
    _send_code(db, "zhang@example.com", channel="email", template="activate_email", name="张伟")
    settings = NotifySettings(smtp=SmtpSettings(host="127.0.0.1", port=controller.port, security="none",
                                                user="wxzj", password="mail-secret", sender="wxzj@example.com"))
    report = sender.deliver_due(db, settings)
    assert report.sent == 1
    (rcpt, mail), = inbox.messages
    assert rcpt == ["zhang@example.com"] and inbox.logins == ["wxzj"]
    assert mail["Subject"] == "未认证用户注册邮箱校验"
    code = re.search(r"邮箱校验码为 (\d{6})", mail.get_content()).group(1)
    with db.read() as session:
        message = session.execute(select(OutboxMessage)).scalar_one()
        assert message.status == "sent" and code not in message.text and "******" in message.text
    codes.verify(db, purpose="register", recipient="zhang@example.com", code=code)


def test_smtp_refusing_login_is_retried_later(db, smtp_server):
    controller, inbox = smtp_server
    _send_code(db, "li@example.com", channel="email")
    settings = NotifySettings(smtp=SmtpSettings(host="127.0.0.1", port=controller.port, security="none",
                                                user="wxzj", password="wrong"))
    assert sender.deliver_due(db, settings).retry == 1
    with db.read() as session:
        message = session.execute(select(OutboxMessage)).scalar_one()
    assert message.status == "pending" and message.attempts == 1 and "wrong" not in (message.last_error or "")
    assert not inbox.messages


def test_sms_gateway_failing_twice_delivers_on_the_third_try(db, gateway_factory):
    gateway = gateway_factory(failures=2)
    settings = NotifySettings(sms=SmsSettings(url=gateway.url, key="k-1", template="SMS_1"))
    _send_code(db, "13800138000")
    now = utcnow()
    assert sender.deliver_due(db, settings, now=now).retry == 1
    # not due again until its back-off has passed
    assert sender.deliver_due(db, settings, now=now + timedelta(seconds=5)).retry == 0
    assert sender.deliver_due(db, settings, now=now + sender.backoff(1)).retry == 1
    assert sender.deliver_due(db, settings, now=now + timedelta(hours=1)).sent == 1
    assert len(gateway.requests) == 3
    assert gateway.requests[-1]["mobile"] == "13800138000" and gateway.requests[-1]["key"] == "k-1"
    assert gateway.requests[-1]["template"] == "SMS_1" and re.search(r"\d{6}", gateway.requests[-1]["text"])
    with db.read() as session:
        message = session.execute(select(OutboxMessage)).scalar_one()
    assert message.status == "sent" and message.attempts == 3


def test_sender_gives_up_after_max_attempts(db, gateway_factory):
    gateway = gateway_factory(failures=100)
    settings = NotifySettings(sms=SmsSettings(url=gateway.url))
    _send_code(db, "13800138001")
    moment = utcnow()
    for _ in range(sender.MAX_ATTEMPTS):
        sender.deliver_due(db, settings, now=moment)
        moment += sender.MAX_DELAY
    with db.read() as session:
        assert session.execute(select(OutboxMessage.status)).scalar_one() == "failed"
    assert sender.backoff(1) == timedelta(seconds=30) and sender.backoff(20) == sender.MAX_DELAY


def test_without_settings_messages_stay_and_are_listed_masked(db):
    _send_code(db, "13800138002")
    assert sender.deliver_due(db, NotifySettings()).sent == 0
    (row,) = outbox.list_messages(db)
    assert row.recipient == "138****8002" and row.status == "pending" and re.search(r"\d{6}", row.text)
    assert outbox.mask_recipient("zhangwei@example.com") == "z***@example.com"


def test_code_rules(db):
    now = utcnow()
    _send_code(db, "13900000000", now=now)
    with pytest.raises(ValidationError, match="1分钟后"):
        _send_code(db, "13900000000", now=now + timedelta(seconds=30))
    code = _code_in_outbox(db, "13900000000")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError, match="验证码错误"):
        codes.verify(db, purpose="register", recipient="13900000000", code=wrong, now=now)
    codes.verify(db, purpose="register", recipient="13900000000", code=code, now=now)
    with pytest.raises(ValidationError, match="验证码已失效"):  # one use
        codes.verify(db, purpose="register", recipient="13900000000", code=code, now=now)
    with db.read() as session:
        assert code not in session.execute(select(OutboxMessage.text)).scalar_one()
        stored = session.execute(select(VerificationCode.code_hash)).scalar_one()
    assert code not in stored and stored.startswith("$argon2")


def test_code_expires_after_five_minutes(db):
    now = utcnow()
    _send_code(db, "13900000001", now=now)
    code = _code_in_outbox(db, "13900000001")
    with pytest.raises(ValidationError, match="验证码已失效"):
        codes.verify(db, purpose="register", recipient="13900000001", code=code, now=now + timedelta(minutes=5))
    with db.read() as session:
        assert code not in session.execute(select(OutboxMessage.text)).scalar_one()


def test_five_wrong_tries_spend_the_code(db):
    now = utcnow()
    _send_code(db, "13900000002", now=now)
    code = _code_in_outbox(db, "13900000002")
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(codes.MAX_TRIES):
        with pytest.raises(ValidationError) as err:
            codes.verify(db, purpose="register", recipient="13900000002", code=wrong, now=now)
        messages.append(err.value.message)
    assert messages[-1] == codes.TOO_MANY and messages[0] == codes.WRONG
    with pytest.raises(ValidationError, match="次数过多"):
        codes.verify(db, purpose="register", recipient="13900000002", code=code, now=now)


def test_new_code_replaces_the_old_and_daily_cap(db):
    now = utcnow()
    _send_code(db, "13900000003", now=now)
    first = _code_in_outbox(db, "13900000003")
    _send_code(db, "13900000003", now=now + timedelta(minutes=1))
    second = _code_in_outbox(db, "13900000003")
    if first != second:
        with pytest.raises(ValidationError):
            codes.verify(db, purpose="register", recipient="13900000003", code=first, now=now + timedelta(minutes=1))
    for i in range(2, codes.DAILY_CAP):
        _send_code(db, "13900000003", now=now + timedelta(minutes=i))
    with pytest.raises(ValidationError, match="上限"):
        _send_code(db, "13900000003", now=now + timedelta(minutes=30))
    _send_code(db, "13900000003", now=now + timedelta(days=1, minutes=1))


def test_per_source_cap(db):
    now = utcnow()
    for i in range(codes.SOURCE_HOURLY_CAP):
        _send_code(db, f"137{i:08d}", now=now, source="10.0.0.9")
    with pytest.raises(ValidationError, match="过于频繁"):
        _send_code(db, "13699999999", now=now, source="10.0.0.9")
    _send_code(db, "13699999999", now=now, source="10.0.0.10")


def test_cli_outbox_lists_masked(db_url, db, capsys, monkeypatch):
    from tui.cli import main

    _send_code(db, "13800138009")
    monkeypatch.setenv("WXZJ_DATA_DIR", str(__import__("pathlib").Path(db_url.removeprefix("sqlite:///")).parent))
    monkeypatch.setenv("WXZJ_CONFIG", "/nonexistent/config.toml")
    assert main(["--database-url", db_url, "outbox"]) == 0
    out = capsys.readouterr().out
    assert "138****8009" in out and "待发送" in out and "验证码为" in out


def test_config_reads_smtp_and_sms(tmp_path):
    from tui.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    path.write_text('[smtp]\nhost = "mail.example.com"\nsecurity = "tls"\nuser = "u@example.com"\n'
                    '[sms]\nurl = "https://sms.example.com/send"\ntemplate = "T1"\n', encoding="utf-8")
    config = load_config({"WXZJ_CONFIG": str(path), "WXZJ_SMTP_PASSWORD": "pw", "WXZJ_SMS_KEY": "key",
                          "WXZJ_DATA_DIR": str(tmp_path)})
    assert config.notify.smtp == SmtpSettings(host="mail.example.com", port=465, security="tls",
                                              user="u@example.com", password="pw", sender="u@example.com")
    assert config.notify.sms == SmsSettings(url="https://sms.example.com/send", key="key", template="T1")
    assert not load_config({"WXZJ_CONFIG": str(tmp_path / "none.toml"), "WXZJ_DATA_DIR": str(tmp_path)}
                           ).notify.configured("sms")
    path.write_text('[smtp]\nhost = "x"\nsecurity = "ssl"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="smtp.security"):
        load_config({"WXZJ_CONFIG": str(path), "WXZJ_DATA_DIR": str(tmp_path)})
