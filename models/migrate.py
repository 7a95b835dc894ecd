"""Alembic, driven from code so `wxzj db upgrade` needs no alembic.ini in the working directory."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def revision_chain() -> tuple[str, ...]:
    """Every revision from the base to the head, oldest first (one line of history: no branches)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return tuple(reversed([rev.revision for rev in script.walk_revisions()]))
