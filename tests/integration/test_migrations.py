"""The Alembic migrations build exactly the schema the models declare, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import workflow.models  # noqa: F401
import workflow.models.files  # noqa: F401
import workflow.models.portal  # noqa: F401
import workflow.models.registry  # noqa: F401
from workflow.db import get_engine
from workflow.schema import upgrade


def _declared(name: str | None, type_: str, _parent: object) -> bool:
    # Registry search lives outside the models: SQLite's FTS5 table (and its shadow tables),
    # PostgreSQL's GIN index over an expression; so does the work queue's expression index (0013).
    if type_ == "index" and name in ("ix_info_item_search", "ix_case_queue_order"):
        return False
    return not (type_ == "table" and name is not None and name.startswith("info_fts"))


# The registry's GIN index and the queue's index are over expressions, which reflection skips with a warning.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_the_models(settings):
    with get_engine(settings).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": _declared})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(settings):
    assert upgrade(settings) == upgrade(settings) == "0013_console_indexes"


def test_next_due_rule_migration_recomputes_stored_dates(settings):
    """0012: a case stored under the old rule (next_due = a passed correction-notice window) gets its
    nearest obligation; an internal consultation is named 协办."""
    from alembic import command
    from sqlalchemy import text

    from tests.factories import act, add_staff, new_case
    from workflow.db import reading
    from workflow.models import Case
    from workflow.schema import alembic_config

    add_staff(settings)
    old = new_case(settings, "2026-05-06")  # window 5/14, answer 6/2
    assist = new_case(settings, "2026-05-06")
    act(settings, assist, "2026-05-07", "start_review", "h1")
    act(settings, assist, "2026-05-07", "consult", "h1", party="internal_department", addressee="法规科", due_days="3")
    with reading(settings) as session:
        expected = {c.id: (c.next_due_kind, c.next_due) for c in (session.get(Case, old), session.get(Case, assist))}
    assert expected[assist][0] == "assist_due" and expected[old] == ("answer_due", date(2026, 6, 2))
    engine = get_engine(settings)
    cfg = alembic_config(settings)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011_clock_snapshot")
        conn.execute(
            text('UPDATE "case" SET next_due = correction_notice_due, next_due_kind = :k WHERE id = :i'),
            {"k": "correction_notice_due", "i": old},
        )
        conn.execute(text('UPDATE "case" SET next_due_kind = :k WHERE id = :i'), {"k": "consultation_due", "i": assist})
    assert upgrade(settings) == "0013_console_indexes"
    with reading(settings) as session:
        got = {c.id: (c.next_due_kind, c.next_due) for c in (session.get(Case, old), session.get(Case, assist))}
    assert got == expected
