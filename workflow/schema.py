"""Create or upgrade the database schema with Alembic (`ogi init`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect, text

from workflow import moment
from workflow.config import Settings
from workflow.db import get_engine
from workflow.models import OfficeSetting
from workflow.office.settings import Office

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
    engine = get_engine(settings)
    cfg = alembic_config(settings)
    moment.forget(settings)
    with engine.begin() as conn:
        if settings.db_schema and conn.dialect.name == "postgresql":
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{settings.db_schema}"'))
        cfg.attributes["connection"] = conn
        new = not inspect(conn).has_table("alembic_version", schema=settings.db_schema)
        command.upgrade(cfg, "head")
        if new:
            _first_office_name(conn, settings)
        if simulation:
            moment.mark_simulation(conn, settings)
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _first_office_name(conn: Connection, settings: Settings) -> None:
    """OGI_OFFICE_NAME names the office of a new database; from then on the name is an office
    setting that an admin changes (audited) in the console. A database that already holds records
    is never renamed by the environment: its letters and reports carry the name they were made with."""

    if settings.office_name != Office.name:
        table = OfficeSetting.__table__  # type: ignore[attr-defined]
        conn.execute(table.insert().values(key="name", value=settings.office_name))
