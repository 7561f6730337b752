"""status reports

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_requested_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("report_due_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reported_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("reported_at")
        batch_op.drop_column("report_due_at")
        batch_op.drop_column("report_requested_at")
