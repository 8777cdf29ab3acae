"""clock snapshot on the case row

Revision ID: 0011_clock_snapshot
Revises: 0010_portal
Create Date: 2026-11-29 07:40:00

Existing cases start without a snapshot: the engine builds it from the ledger on their next action.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_clock_snapshot"
down_revision = "0010_portal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("clock_snapshot", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.drop_column("clock_snapshot")
