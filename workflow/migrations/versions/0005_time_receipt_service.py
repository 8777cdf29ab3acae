"""simulation flag, receipt confirmation, service (送达) records and the new due dates

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_DUES = ("registration_due", "delivery_due", "reasons_due", "next_due")


def upgrade() -> None:
    op.create_table(
        "ogi_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "service_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("addressee", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("proof", sa.String(length=300), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("letter_id"),
    )
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_record_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_confirmed", sa.Boolean(), nullable=False, server_default=sa.true()))
        for name in _DUES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_case_{name}"), [name], unique=False)
        batch_op.add_column(sa.Column("next_due_kind", sa.String(length=30), nullable=True))
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.alter_column("delivered_on", existing_type=sa.Date(), nullable=True)
        batch_op.alter_column("reply_due", existing_type=sa.Date(), nullable=True)
    _backfill_next_due()


def _backfill_next_due() -> None:
    """Existing open cases get the queue's sort date from their stored due dates (the same rule the
    clock's projection applies from now on: the answer date only while its clock runs)."""
    cols = [
        "CASE WHEN clock_state = 'running' THEN answer_due END",
        "correction_notice_due",
        "correction_reply_due",
        "consultation_due",
        "fee_due",
    ]
    if op.get_bind().dialect.name == "postgresql":
        nearest = "LEAST(" + ", ".join(cols) + ")"
    else:  # SQLite's scalar min() is NULL if any argument is
        nearest = "NULLIF(MIN(" + ", ".join(f"COALESCE({c}, '9999-12-31')" for c in cols) + "), '9999-12-31')"
    open_states = "('closed', 'withdrawn', 'deemed_abandoned', 'abandoned_unpaid')"
    op.execute(f'UPDATE "case" SET next_due = {nearest} WHERE state NOT IN {open_states}')


def downgrade() -> None:
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.alter_column("reply_due", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("delivered_on", existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table("case", schema=None) as batch_op:
        for name in _DUES:
            batch_op.drop_index(batch_op.f(f"ix_case_{name}"))
            batch_op.drop_column(name)
        batch_op.drop_column("next_due_kind")
        batch_op.drop_column("receipt_confirmed")
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_record_case_id"))
    op.drop_table("service_record")
    op.drop_table("ogi_meta")
