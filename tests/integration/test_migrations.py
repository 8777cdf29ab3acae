"""The Alembic migrations build exactly the schema the models declare, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import workflow.models  # noqa: F401
import workflow.portal.models  # noqa: F401
from workflow.db import get_engine
from workflow.schema import upgrade


def test_migrations_match_the_models(settings):
    with get_engine(settings).connect() as conn:
        ctx = MigrationContext.configure(conn)
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(settings):
    assert upgrade(settings) == upgrade(settings) == "0010_portal"
