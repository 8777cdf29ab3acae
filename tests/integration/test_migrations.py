"""The Alembic migrations build exactly the schema the models declare, on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import workflow.attachment_models  # noqa: F401
import workflow.models  # noqa: F401
import workflow.portal.models  # noqa: F401
import workflow.registry.models  # noqa: F401
from workflow.db import get_engine
from workflow.schema import upgrade


def _declared(name: str | None, type_: str, _parent: object) -> bool:
    # Registry search lives outside the models: SQLite's FTS5 table (and its shadow tables),
    # PostgreSQL's GIN index over an expression.
    if type_ == "index" and name == "ix_info_item_search":
        return False
    return not (type_ == "table" and name is not None and name.startswith("info_fts"))


# The registry's GIN index is over an expression, which reflection skips with a warning.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_the_models(settings):
    with get_engine(settings).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": _declared})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(settings):
    assert upgrade(settings) == upgrade(settings) == "0012_next_due_rule"
