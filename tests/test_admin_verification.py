"""手机二要素校验 providers: the register table, and the HTTP provider against a local server."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.admin import operators as ops
from services.admin import verification
from services.admin.verification import MISMATCH, HttpProvider, VerificationUnavailable
from services.core.errors import ServiceError
from tests.admin_fixtures import spare_person


class _Verifier(BaseHTTPRequestHandler):
    """Knows one person; answers 500 for the mobile 13000000000 and garbage for 13000000001."""

    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        type(self).seen.append({"body": body, "auth": self.headers.get("Authorization")})
        if body["mobile"] == "13000000000":
            self.send_response(500)
            self.end_headers()
            return
        answer = b"not json" if body["mobile"] == "13000000001" else json.dumps(
            {"match": (body["name"], body["mobile"]) == (self.server.person)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_verifier():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Verifier)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Verifier.seen = []
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_the_register_provider(sh_db):
    name, mobile = spare_person(sh_db)
    provider = verification.RegisterProvider()
    with sh_db.read() as s:
        assert provider.matches(s, name, mobile)
        assert not provider.matches(s, name + "华", mobile)
        assert not provider.matches(s, name, "13999999999")


def test_the_http_provider_against_a_local_server(sh_db, http_verifier):
    http_verifier.person = ("王小明", "13912345678")
    provider = HttpProvider(f"http://127.0.0.1:{http_verifier.server_port}/verify", key="k-123", timeout=2)
    with sh_db.read() as s:
        assert provider.matches(s, "王小明", "13912345678")
        assert not provider.matches(s, "王小名", "13912345678")
        for broken in ("13000000000", "13000000001"):
            with pytest.raises(VerificationUnavailable):
                provider.matches(s, "王小明", broken)
    assert _Verifier.seen[0] == {"body": {"name": "王小明", "mobile": "13912345678"}, "auth": "Bearer k-123"}


def test_an_unreachable_provider_is_no_mismatch(sh_db):
    with socket.socket() as probe:  # a free port, closed again: nobody listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = HttpProvider(f"http://127.0.0.1:{port}/verify", timeout=0.5)
    with sh_db.read() as s, pytest.raises(VerificationUnavailable) as err:
        provider.matches(s, "王小明", "13912345678")
    assert err.value.message != MISMATCH and err.value.field == "mobile"


def test_add_operator_goes_through_the_configured_provider(sh_db, sh_actor, http_verifier):
    http_verifier.person = ("王小明", "13912345678")
    verification.configure(HttpProvider(f"http://127.0.0.1:{http_verifier.server_port}/verify", timeout=2))
    admin = sh_actor("qyadmin")
    with pytest.raises(ServiceError) as err:
        ops.add_operator(sh_db, admin, ops.NewOperator("王小名", admin.organisation_id, "13912345678",
                                                       "enterprise_operator"), "shanghai")
    assert err.value.message == MISMATCH
    added = ops.add_operator(sh_db, admin, ops.NewOperator("王小明", admin.organisation_id, "13912345678",
                                                           "enterprise_operator"), "shanghai")
    assert added.name == "王小明" and len(_Verifier.seen) == 2


def test_the_register_is_imported_from_csv(sh_db, sh_url, tmp_path, capsys):
    from sqlalchemy import func, select

    from models import RealNameRecord
    from tui.cli import main

    def count() -> int:
        with sh_db.read() as s:
            return s.execute(select(func.count()).select_from(RealNameRecord)).scalar_one()

    before = count()
    good = tmp_path / "register.csv"
    good.write_text("姓名,手机号码\n王小明,13912345678\n李四,13912345679\n", encoding="utf-8")
    assert main(["--database-url", sh_url, "realname", "import", str(good)]) == 0
    assert "新增 2 人" in capsys.readouterr().out and count() == before + 2
    bad = tmp_path / "bad.csv"
    bad.write_text("王小明,13912345670\n赵六,12345\n", encoding="utf-8")
    assert main(["--database-url", sh_url, "realname", "import", str(bad)]) == 1
    assert "第 2 行" in capsys.readouterr().err and count() == before + 2
    name, mobile = spare_person(sh_db)
    with sh_db.read() as s:
        assert verification.RegisterProvider().matches(s, "王小明", "13912345678")


def test_the_app_takes_the_http_provider_from_its_config(db_url, monkeypatch):
    from tui.app import WxzjApp
    from tui.config import load_config

    monkeypatch.setenv("WXZJ_IDENTITY_VERIFY_URL", "http://127.0.0.1:1/verify")
    monkeypatch.setenv("WXZJ_CONFIG", "/nonexistent/config.toml")
    config = load_config()
    assert config.identity_verify_url == "http://127.0.0.1:1/verify"
    app = WxzjApp(config.with_overrides(database_url=db_url))
    try:
        app.database()
        assert isinstance(verification._provider, HttpProvider)
    finally:
        app.database().dispose()
        verification.configure(None)
