"""Fixtures: a migrated database per test (copied from one migrated template) and small builders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.db import Database
from models.migrate import upgrade
from tui.startup import prepare_terminal_environment
from tests.builders import Builder

prepare_terminal_environment(__import__("os").environ)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    path = tmp_path / "wxzj.db"
    shutil.copy(template_db, path)
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
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
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
