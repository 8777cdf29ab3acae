"""annual report texts and section 二 figures

Revision ID: 0007_annual_texts
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_annual_texts"
down_revision = "0008_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annual_text",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", "section"),
    )


def downgrade() -> None:
    op.drop_table("annual_text")
