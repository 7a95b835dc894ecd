"""OTP (BY-08): room for the sealed TOTP secret (nonce, ciphertext and tag, base64 with a prefix).

SQLite does not enforce a VARCHAR length, and user_account cannot be copied by a batch migration under
its foreign keys, so only PostgreSQL's column type changes.

Revision ID: 0003_otp
Revises: 0003_sshkey
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision: str = "0003_otp"
down_revision: Union[str, Sequence[str], None] = "0003_sshkey"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("user_account", "totp_secret", type_=sqlmodel.sql.sqltypes.AutoString(length=200),
                        existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), existing_nullable=True)
    op.create_index("ix_recovery_code_hash", "recovery_code", ["user_id", "code_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_recovery_code_hash", table_name="recovery_code")
    if op.get_bind().dialect.name != "sqlite":
        # secrets do not fit the old column: the authenticators are removed (their users enrol again)
        op.execute("UPDATE user_account SET totp_secret = NULL, totp_confirmed_at = NULL, totp_last_step = NULL")
        op.alter_column("user_account", "totp_secret", type_=sqlmodel.sql.sqltypes.AutoString(length=64),
                        existing_type=sqlmodel.sql.sqltypes.AutoString(length=200), existing_nullable=True)
