"""next_due holds only obligations: a passed correction-notice window is no longer the queue's date

Revision ID: 0012_next_due_rule
Revises: 0010_portal (0011_clock_snapshot once merged with it)
Create Date: 2026-11-29 07:30:00

The 7 working days to ask for a correction (Art. 30) close an option; they are no longer a case's
next due date (states/deadlines.py). Every open case's next_due and next_due_kind are recomputed
from the due dates already stored on its row, by the rule the clock's projection applies from now
on; an open consultation of a department inside the office is named 协办 ("assist_due").
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012_next_due_rule"
down_revision = "0011_clock_snapshot"
branch_labels = None
depends_on = None

_OBLIGATIONS = (
    "answer_due",
    "correction_reply_due",
    "consultation_due",
    "fee_due",
    "registration_due",
    "delivery_due",
    "reasons_due",
)
_TERMINAL = ("closed", "withdrawn", "deemed_abandoned", "abandoned_unpaid")
_case = sa.table(
    "case",
    sa.column("id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("clock_state", sa.String),
    sa.column("next_due", sa.Date),
    sa.column("next_due_kind", sa.String),
    *(sa.column(name, sa.Date) for name in _OBLIGATIONS),
)
_consultation = sa.table(
    "consultation",
    sa.column("case_id", sa.Integer),
    sa.column("party", sa.String),
    sa.column("reply_due", sa.Date),
    sa.column("closed_on", sa.Date),
)


def _nearest(row: Any, internal: set[tuple[int, date]]) -> tuple[str | None, date | None]:
    dues = [
        (name, getattr(row, name))
        for name in _OBLIGATIONS
        if getattr(row, name) is not None and (name != "answer_due" or row.clock_state == "running")
    ]
    if not dues or row.state in _TERMINAL:
        return None, None
    name, day = min(dues, key=lambda d: d[1])
    if name == "consultation_due" and (row.id, day) in internal:
        name = "assist_due"
    return name, day


def upgrade() -> None:
    bind = op.get_bind()
    internal = {
        (cid, due)
        for cid, due in bind.execute(
            sa.select(_consultation.c.case_id, _consultation.c.reply_due).where(
                _consultation.c.closed_on.is_(None),
                _consultation.c.reply_due.is_not(None),
                _consultation.c.party == "internal_department",
            )
        )
    }
    rows = bind.execute(
        sa.select(_case).where(sa.or_(_case.c.next_due.is_not(None), _case.c.state.not_in(_TERMINAL)))
    ).all()
    changes = []
    for row in rows:
        kind, day = _nearest(row, internal)
        if (kind, day) != (row.next_due_kind, row.next_due):
            changes.append({"row_id": row.id, "kind": kind, "day": day})
    if changes:
        bind.execute(
            _case.update()
            .where(_case.c.id == sa.bindparam("row_id"))
            .values(next_due=sa.bindparam("day"), next_due_kind=sa.bindparam("kind")),
            changes,
        )


def downgrade() -> None:
    # The older rule is a superset by date; the next write to each case recomputes it. Nothing to undo.
    pass
