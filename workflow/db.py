"""Engines and transactions. SQLite runs in WAL mode with BEGIN IMMEDIATE, so two writers never
interleave; PostgreSQL relies on row locks (SELECT ... FOR UPDATE) and an advisory lock for the
ledger."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from workflow import moment
from workflow.config import Settings

READ_ONLY = "ogi_read_only"
WROTE = "ogi_wrote"
NOW = "ogi_now"  # session.info: the moment this transaction records (OGI_NOW in a simulation)
_DML = ("INSERT", "UPDATE", "DELETE")
_engines: dict[tuple[str, str | None], Engine] = {}


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; take control so writes start
        # with BEGIN IMMEDIATE and a concurrent writer waits instead of failing mid-way.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Readers begin deferred, so they never queue behind (or block) a writer under WAL.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

    return engine


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    # Every statement, ORM or Core: a transaction that wrote anything is known at commit.
    if statement.lstrip()[:6].upper() in _DML:
        conn.info[WROTE] = True


def get_engine(settings: Settings) -> Engine:
    """The engine for the settings' database (one per URL and schema, per process)."""
    key = (settings.database_url, settings.db_schema)
    engine = _engines.get(key)
    if engine is None:
        url = make_url(settings.database_url)
        if url.get_backend_name() == "sqlite":
            engine = _sqlite_engine(settings.database_url)
        else:
            args: dict[str, Any] = {}
            if settings.db_schema:
                args["options"] = f"-csearch_path={settings.db_schema}"
            engine = create_engine(settings.database_url, connect_args=args, pool_pre_ping=True)
        _engines[key] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@contextmanager
def transaction(settings: Settings) -> Iterator[Session]:
    """One unit of work: commits when the block ends normally, rolls back on any exception.

    Under OGI_NOW a transaction that wrote anything commits only on a simulation database and
    only if its time is not earlier than the latest recorded one (workflow/moment.py)."""
    simulated = settings.now_override is not None
    with Session(get_engine(settings), expire_on_commit=False) as session:
        session.info[NOW] = settings.now()
        try:
            if simulated:
                session.connection().info.pop(WROTE, None)
                moment.remember_floor(session, settings)
            yield session
            if simulated:
                session.flush()
                if session.connection().info.pop(WROTE, False):
                    moment.check_simulated_write(session, settings)
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(settings: Settings) -> Iterator[Session]:
    """A session for reading; closing it ends the transaction without expiring loaded rows."""
    with Session(get_engine(settings), expire_on_commit=False) as session:
        session.connection(execution_options={READ_ONLY: True})
        yield session


def simulation_of(settings: Settings) -> bool:
    """`moment.is_simulation` for callers without a session (pages): the database is read only once."""
    known = moment.known_simulation(settings)
    if known is not None:
        return known
    with reading(settings) as session:
        return moment.is_simulation(session.connection(), settings)
