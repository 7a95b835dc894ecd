"""One line order: each stored apportionment line keeps its place (seq) in building order, unit, floor, room.

Adds a defaulted column and an index, then numbers the lines already stored from their houses, so an
existing database upgrades in place and its orders list as they did at submission.

Revision ID: 0003_struct
Revises: 0003_operators
Create Date: 2026-12-01 09:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003_struct'
down_revision: Union[str, Sequence[str], None] = '0003_operators'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NUMBERED = sa.text("""
    SELECT l.id, ROW_NUMBER() OVER (PARTITION BY l.task_order_id
                                    ORDER BY b.sort_key, b.id, h.unit, h.floor, h.room) AS seq
    FROM task_order_line l JOIN house h ON h.id = l.house_id JOIN building b ON b.id = h.building_id
""")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('task_order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_line_order_seq', ['task_order_id', 'seq'], unique=False)
    connection = op.get_bind()
    numbered = [{"line_id": line_id, "seq": seq} for line_id, seq in connection.execute(NUMBERED)]
    if numbered:
        connection.execute(sa.text("UPDATE task_order_line SET seq = :seq WHERE id = :line_id"), numbered)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('task_order_line', schema=None) as batch_op:
        batch_op.drop_index('ix_line_order_seq')
        batch_op.drop_column('seq')
