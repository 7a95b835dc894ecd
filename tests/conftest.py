"""Fixtures: a migrated database per test (copied from one migrated template) and small builders.

Tests marked `both_backends` (a module's `pytestmark` or one test) run twice: on SQLite and on a
PostgreSQL server the run starts itself (tests/pg_server.py), each test on its own database created
from a migrated template. Without a server the PostgreSQL half skips with the reason, except under
CI (CI=true), where it fails: CI must really test both.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from models.db import Database
from models.migrate import upgrade
from tui.startup import prepare_terminal_environment
from tests.builders import Builder

prepare_terminal_environment(__import__("os").environ)
# Every print in a child of its own (the default): a host print worker started by one test would outlive
# it (tests/test_printing_server.py starts and stops its own).
os.environ.pop("WXZJ_PRINT_SERVER", None)
# One audit key for the run: the per-test copies of the template databases are sealed alike, and
# worker processes inherit it. (tests/test_audit_seal.py covers the key beside the database.)
if "WXZJ_AUDIT_KEY_FILE" not in os.environ:
    import atexit
    import tempfile

    _key_dir = tempfile.mkdtemp(prefix="wxzj-audit-key-")
    atexit.register(shutil.rmtree, _key_dir, True)
    os.environ["WXZJ_AUDIT_KEY_FILE"] = os.path.join(_key_dir, "audit.key")


BACKENDS = ("sqlite", "postgresql")
_database_names = itertools.count(1)


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    """"sqlite" unless the test is marked both_backends, which runs it once per back end."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server():
    from tests.pg_server import NoServer, start_server

    try:
        server = start_server()
    except NoServer as exc:
        server = exc
    yield server
    if not isinstance(server, Exception):
        server.stop()


def _require_server(pg_server):
    if isinstance(pg_server, Exception):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL: {pg_server}")
        pytest.skip(f"PostgreSQL 测试跳过：{pg_server}")
    return pg_server


def _admin(server, sql: str) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=server.port, user="wxzj", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    server = _require_server(pg_server)
    _admin(server, "CREATE DATABASE tpl_empty")
    upgrade(server.url("tpl_empty"))
    return "tpl_empty"


@pytest.fixture(scope="session")
def pg_demo_template(pg_server) -> str:
    from services.demo.build import build_demo

    server = _require_server(pg_server)
    _admin(server, "CREATE DATABASE tpl_demo")
    build_demo(server.url("tpl_demo"), "beijing", houses=1500, orders=False)
    return "tpl_demo"


def _pg_copy(request, pg_server, template_fixture: str):
    server = _require_server(pg_server)
    template = request.getfixturevalue(template_fixture)
    name = f"t{os.getpid()}_{next(_database_names)}"
    _admin(server, f"CREATE DATABASE {name} TEMPLATE {template}")
    request.addfinalizer(lambda: _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    return server.url(name)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(backend: str, request, tmp_path: Path) -> str:
    if backend == "postgresql":
        return _pg_copy(request, request.getfixturevalue("pg_server"), "pg_template")
    path = tmp_path / "wxzj.db"
    shutil.copy(request.getfixturevalue("template_db"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str):
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def build(db: Database) -> Builder:
    return Builder(db)


@pytest.fixture
def make_app(db, db_url):
    """Build the app over the test database; `demo` and `idle_lock_minutes` as a clerk would set them."""
    from tui.app import WxzjApp
    from tui.config import Config

    def factory(**overrides) -> WxzjApp:
        config = Config(database_url=db_url, **overrides)
        return WxzjApp(config, database=db)

    return factory


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A small demo database (Beijing) without task orders, built once; tests get copies."""
    from services.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    build_demo(f"sqlite:///{path}", "beijing", houses=1500, orders=False)
    return path


@pytest.fixture
def demo_url(backend: str, request, tmp_path: Path) -> str:
    if backend == "postgresql":
        return _pg_copy(request, request.getfixturevalue("pg_server"), "pg_demo_template")
    path = tmp_path / "demo.db"
    shutil.copy(request.getfixturevalue("demo_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo_db(demo_url: str):
    database = Database(demo_url)
    yield database
    database.dispose()


@pytest.fixture
def actor_of(demo_db):
    """Log a demo account in (first identity) and return its Actor."""
    from services.identity import auth
    from services.demo.accounts import DEMO_PASSWORD

    def login(username: str, identity: int = 0):
        result = auth.authenticate(demo_db, username, DEMO_PASSWORD)
        return auth.enter(demo_db, result, result.identities[identity].identity_id)

    return login


@pytest.fixture
def make_demo_app(demo_db, demo_url):
    """The app over a copy of the small demo database."""
    from tui.app import WxzjApp
    from tui.config import Config

    def factory(**overrides) -> WxzjApp:
        return WxzjApp(Config(database_url=demo_url, **overrides), database=demo_db)

    return factory


from tests.admin_fixtures import make_sh_app, sh_actor, sh_db, sh_url, shanghai_template  # noqa: E402,F401
