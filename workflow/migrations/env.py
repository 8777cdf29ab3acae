"""Alembic environment: runs on the connection `workflow.schema` hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import workflow.models  # noqa: F401  (registers every table on the metadata)

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    version_table_schema=config.attributes.get("schema"),
)
with context.begin_transaction():
    context.run_migrations()
