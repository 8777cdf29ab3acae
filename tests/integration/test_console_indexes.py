"""The work queue's order is served by its index (migration 0013), on both databases."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import col, select

from tests.factories import add_staff, new_case
from web.views import queue_key
from workflow.db import get_engine
from workflow.models import Case


def _plan(settings, stmt) -> str:
    engine = get_engine(settings)
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))  # a few rows: only whether it *can*
            return "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
        return "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_queue_order_reads_the_index_not_every_case(settings):
    add_staff(settings)
    for _ in range(3):
        new_case(settings)
    page = select(Case).order_by(queue_key(), col(Case.id)).limit(50)
    plan = _plan(settings, page)
    assert "ix_case_queue_order" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan.split("Index")[0], plan
