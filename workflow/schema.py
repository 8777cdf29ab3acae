"""Create or upgrade the database schema with Alembic (`ogi init`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from workflow.config import Settings
from workflow.db import get_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["schema"] = settings.db_schema
    return cfg


def upgrade(settings: Settings, *, simulation: bool = False) -> str:
    """Bring the schema to the newest revision; returns that revision id. `simulation` makes a new,
    empty database a simulation (OGI_NOW honoured, documents marked as samples).

    Raises:
        Refused: simulation asked of a database that already holds real records.
    """
    from workflow import moment

    engine = get_engine(settings)
    cfg = alembic_config(settings)
    moment.forget(settings)
    with engine.begin() as conn:
        if settings.db_schema and conn.dialect.name == "postgresql":
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{settings.db_schema}"'))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if simulation:
            moment.mark_simulation(conn, settings)
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
