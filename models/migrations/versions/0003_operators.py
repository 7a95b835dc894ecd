"""Operators: the real-name register, real-name authentication requests, a version on identities.

Only adds tables and a column with a default, so a database with data upgrades in place.

Revision ID: 0003_operators
Revises: 0003_accounts
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0003_operators"
down_revision: Union[str, Sequence[str], None] = "0003_accounts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "real_name_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mobile", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mobile"),
    )
    op.create_table(
        "real_name_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("real_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("id_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("id_no", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("mobile", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("result_seen", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('pending','approved','rejected')", name="ck_realname_status"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["identity_id"], ["identity.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("real_name_request", schema=None) as batch_op:
        batch_op.create_index("ix_real_name_request_user_id", ["user_id"], unique=False)
        batch_op.create_index("ix_real_name_request_enterprise_status", ["enterprise_id", "status"], unique=False)
    # A plain ADD COLUMN: a batch rebuild of identity would have to drop a table others reference.
    op.add_column("identity", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("real_name_request", schema=None) as batch_op:
        batch_op.drop_index("ix_real_name_request_enterprise_status")
        batch_op.drop_index("ix_real_name_request_user_id")
    op.drop_table("real_name_request")
    op.drop_table("real_name_register")
    # DROP COLUMN in place (SQLite ≥ 3.35, PostgreSQL), not a batch rebuild of a referenced table.
    op.execute("ALTER TABLE identity DROP COLUMN version")
