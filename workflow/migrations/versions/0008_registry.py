"""the information registry: items, files, ledger links, sweep effects, full-text search

Revision ID: 0008_registry
Revises: 0004
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_registry"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "info_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("index_number", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("attribute", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ground", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("registered_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("expired_on", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("publish_due", sa.Date(), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("proposal_open", sa.Boolean(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("index_number"),
    )
    for column in ("category", "attribute", "state", "published_on", "publish_due", "review_due"):
        op.create_index(f"ix_info_item_{column}", "info_item", [column])
    op.create_table(
        "info_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("info_item.id"), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_info_file_item_id", "info_file", ["item_id"])
    op.create_table(
        "info_event",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("info_item.id"), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_info_event_item_id", "info_event", ["item_id"])
    op.create_table(
        "info_escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("info_item.id"), nullable=False),
        sa.Column("deadline", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("effect_day", sa.Date(), nullable=False),
        sa.Column("working_days_left", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "deadline", "level", "due_on", "effect_day"),
    )
    op.create_index("ix_info_escalation_item_id", "info_escalation", ["item_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_info_item_search ON info_item USING gin (to_tsvector('simple', search_text))")
    else:
        # rowid = info_item.id; the service keeps it in step (workflow/registry/search.py)
        op.execute("CREATE VIRTUAL TABLE info_fts USING fts5(words, tokenize = 'unicode61')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE info_fts")
    op.drop_table("info_escalation")
    op.drop_table("info_event")
    op.drop_table("info_file")
    op.drop_table("info_item")
