"""Test databases: every test gets a fresh SQLite file, and (for tests that ask for `settings`)
a fresh PostgreSQL schema too, made and dropped by the test itself, so runs never share state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import PG_URL, REQUIRE_PG, drop_schema
from workflow.config import Settings
from workflow.db import dispose_engines
from workflow.schema import upgrade

_pg_ok: bool | None = None


def postgres_available() -> bool:
    global _pg_ok
    if _pg_ok is None:
        try:
            engine = create_engine(PG_URL)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_ok = True
        except Exception:  # noqa: BLE001
            _pg_ok = False
    return _pg_ok


def make_sqlite(tmp_path: Path, *, simulation: bool = True) -> Settings:
    """A migrated SQLite database; a simulation unless asked otherwise, since tests move time."""
    s = Settings(database_url=f"sqlite:///{tmp_path / 'ogi.db'}")
    upgrade(s, simulation=simulation)
    return s


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        yield make_sqlite(tmp_path)
        dispose_engines()
        return
    if not postgres_available():
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required but not reachable at {PG_URL}")
        pytest.skip("PostgreSQL not reachable")
    schema = f"ogi_test_{uuid.uuid4().hex[:12]}"
    s = Settings(database_url=PG_URL, db_schema=schema)
    try:
        upgrade(s, simulation=True)
        yield s
    finally:
        dispose_engines()
        drop_schema(schema)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Iterator[Settings]:
    yield make_sqlite(tmp_path)
    dispose_engines()
