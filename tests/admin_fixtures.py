"""Fixtures for the operator administration tests: a Shanghai demo database (it has 小区管理处), built
once per session and copied per test, and helpers to log its accounts in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Identity, Organisation, RealNameRecord, User
from models.db import Database
from services.admin import verification
from services.demo.accounts import DEMO_PASSWORD
from services.identity import auth


@pytest.fixture(scope="session")
def shanghai_template(tmp_path_factory) -> Path:
    from services.demo.build import build_demo

    path = tmp_path_factory.mktemp("sh-demo") / "demo.db"
    build_demo(f"sqlite:///{path}", "shanghai", houses=600, orders=False)
    return path


@pytest.fixture
def sh_url(shanghai_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "sh.db"
    shutil.copy(shanghai_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def sh_db(sh_url: str):
    verification.configure(None)
    database = Database(sh_url)
    yield database
    database.dispose()
    verification.configure(None)


@pytest.fixture
def sh_actor(sh_db):
    def login(username: str, identity: int = 0, password: str = DEMO_PASSWORD):
        result = auth.authenticate(sh_db, username, password)
        return auth.enter(sh_db, result, result.identities[identity].identity_id)

    return login


@pytest.fixture
def make_sh_app(sh_db, sh_url):
    from tui.app import WxzjApp
    from tui.config import Config

    def factory(**overrides) -> WxzjApp:
        return WxzjApp(Config(database_url=sh_url, profile="shanghai", **overrides), database=sh_db)

    return factory


def spare_person(db, index: int = 0) -> tuple[str, str]:
    """(name, mobile) in the real-name register with no account yet."""
    with db.read() as s:
        taken = set(s.execute(select(User.mobile)).scalars())
        rows = s.execute(select(RealNameRecord.name, RealNameRecord.mobile).order_by(RealNameRecord.id)).all()
    return [tuple(r) for r in rows if r[1] not in taken][index]


def register(db, name: str, mobile: str) -> None:
    with db.write() as s:
        s.add(RealNameRecord(name=name, mobile=mobile, source="test"))


def org_id(db, kind: str, index: int = 0) -> int:
    with db.read() as s:
        return s.execute(select(Organisation.id).where(Organisation.kind == kind).order_by(Organisation.id)
                         ).scalars().all()[index]


def identity_of(db, username: str) -> Identity:
    with db.read() as s:
        return s.execute(select(Identity).join(User, User.id == Identity.user_id)
                         .where(User.username == username)).scalars().first()
