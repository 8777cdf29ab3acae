"""console indexes: the work queue's order as one indexed expression

Revision ID: 0013_console_indexes
Revises: 0010_portal
Create Date: 2026-11-29 07:45:00

The queue lists open cases by their next due date, cases with none (and finished ones) after
them, then by id (web/views.py `queue_key`). Sorting on that computed expression read and sorted
every case row for each page: at 100,000 cases the queue's cost grew with the table. Indexed
together with the id, the database walks the index and stops after one page. The expression is
written out here as it stood when the index was made; a query only uses the index while
web/views.py builds the same text (tests/integration/test_console_indexes.py checks that it does).
"""

from __future__ import annotations

from alembic import op

revision = "0013_console_indexes"
down_revision = "0012_next_due_rule"
branch_labels = None
depends_on = None

QUEUE_KEY = (
    "COALESCE(CASE WHEN state IN ('abandoned_unpaid', 'closed', 'deemed_abandoned', 'withdrawn') "
    "THEN NULL ELSE next_due END, '9999-12-31')"
)


def upgrade() -> None:
    op.execute(f'CREATE INDEX IF NOT EXISTS ix_case_queue_order ON "case" (({QUEUE_KEY}), id)')


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_case_queue_order")
