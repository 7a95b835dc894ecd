"""Hardening: failed logins under unknown names (login_guard) and the sealed audit chain head (audit_head).

Only adds tables, so an existing database upgrades in place. An existing audit trail is sealed as it
stands, with the key file (created when missing).

Revision ID: 0003_hardencore
Revises: 0003_assoc
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision: str = "0003_hardencore"
down_revision: Union[str, Sequence[str], None] = "0003_assoc"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "login_guard",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("seal", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _seal_existing_trail()


def _seal_existing_trail() -> None:
    """An upgraded database's trail is sealed as it stands, so `wxzj check` holds it to its end
    from now on (the chain itself was already checkable)."""
    from models.audit_key import key_path_for, load_key_at, seal

    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1")).first()
    if last is None:
        return
    entries = conn.execute(sa.text("SELECT count(*) FROM audit_entry")).scalar_one()
    key = load_key_at(key_path_for(conn.engine.url), create=True)
    conn.execute(sa.text("INSERT INTO audit_head (id, last_id, last_hash, entries, seal) VALUES (1, :i, :h, :n, :s)"),
                 {"i": last[0], "h": last[1], "n": entries, "s": seal(key, last[0], last[1], entries)})


def downgrade() -> None:
    op.drop_table("audit_head")
    op.drop_table("login_guard")
