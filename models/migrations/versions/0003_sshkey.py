"""SSH key login: the public keys an enterprise administrator bound to identities (ssh_key).

Only adds a table, so an existing database upgrades in place.

Revision ID: 0003_sshkey
Revises: 0003_hardencore
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0003_sshkey"
down_revision: Union[str, Sequence[str], None] = "0003_hardencore"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "ssh_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("key_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("bound_by", sa.Integer(), nullable=False),
        sa.Column("bound_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["identity_id"], ["identity.id"]),
        sa.ForeignKeyConstraint(["bound_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("identity_id"),
        sa.UniqueConstraint("fingerprint"),
    )


def downgrade() -> None:
    op.drop_table("ssh_key")
