"""Shared pieces of the benchmark suite: results, timing, machine facts and throw-away databases.

Every database a benchmark touches is its own: a SQLite file in a temporary folder, or a
PostgreSQL schema `ogi_bench_<random>` dropped afterwards. Servers come from the environment:
OGI_BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test) and
OGI_BENCH_REDIS_URL (default redis://127.0.0.1:6379/14).
"""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from workflow.config import Settings
from workflow.db import dispose_engines
from workflow.schema import upgrade

PG_URL = os.environ.get("OGI_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("OGI_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
REPO = Path(__file__).resolve().parents[1]

# Schemas made by this process, so an interrupted run still drops them (see drop_leftovers).
_schemas: set[str] = set()


# --------------------------------------------------------------------------
# Results


@dataclass
class Row:
    """One measured figure: ours beside its baseline, their ratio, and the target it answers."""

    case: str
    ours: str
    baseline: str
    ratio: str
    target: str = ""
    status: str = ""  # "met", "MISSED", or "" when the row answers no target


@dataclass
class Outcome:
    """What one benchmark reports: its rows, how it was measured, and a note per target."""

    key: str
    title: str
    method: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str = ""


def status(ok: bool) -> str:
    return "met" if ok else "MISSED"


def rate(value: float) -> str:
    """A rate or count with sensible precision."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def secs(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def times(value: float) -> str:
    return f"{value:,.1f}×" if value >= 10 else f"{value:.2f}×"


# --------------------------------------------------------------------------
# Timing


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The fastest of `repeat` runs of fn, in seconds (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


# --------------------------------------------------------------------------
# Servers


def postgres_ok() -> bool:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def redis_ok() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        ok = bool(client.ping())
        client.close()
        return ok
    except Exception:
        return False


@contextmanager
def sqlite_db(name: str = "bench") -> Iterator[Settings]:
    """A migrated SQLite database (WAL, on disk) in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ogi-bench-") as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / f'{name}.db'}")
        try:
            upgrade(settings, simulation=True)  # benchmarks play simulated time
            yield settings
        finally:
            dispose_engines()


@contextmanager
def postgres_db() -> Iterator[Settings]:
    """A migrated PostgreSQL schema of its own, dropped afterwards."""
    schema = f"ogi_bench_{uuid.uuid4().hex[:10]}"
    _schemas.add(schema)
    settings = Settings(database_url=PG_URL, db_schema=schema)
    try:
        upgrade(settings, simulation=True)
        yield settings
    finally:
        dispose_engines()
        drop_schema(schema)


def drop_schema(schema: str) -> None:
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()
    _schemas.discard(schema)


def drop_leftovers() -> None:
    """Drop whatever schema an interrupted benchmark left behind."""
    for schema in list(_schemas):
        try:
            drop_schema(schema)
        except Exception as exc:  # pragma: no cover - the server went away
            print(f"warning: could not drop schema {schema}: {exc}")


def backends(pg: bool) -> list[tuple[str, Callable[[], Any]]]:
    """The databases to measure on: SQLite always, PostgreSQL when reachable."""
    out: list[tuple[str, Callable[[], Any]]] = [("SQLite", sqlite_db)]
    if pg:
        out.append(("PostgreSQL", postgres_db))
    return out


# --------------------------------------------------------------------------
# The machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _postgres_version() -> str:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            value = str(conn.execute(text("SHOW server_version")).scalar_one())
            sync = str(conn.execute(text("SHOW synchronous_commit")).scalar_one())
        engine.dispose()
        return f"{value} (synchronous_commit={sync})"
    except Exception:
        return "not reachable"


def _redis_version() -> str:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        value = str(client.info("server")["redis_version"])
        client.close()
        return value
    except Exception:
        return "not reachable"


def machine() -> dict[str, str]:
    return {
        "date": datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": _postgres_version(),
        "Redis": _redis_version(),
        "libraries": ", ".join(
            f"{n} {_pkg(n)}"
            for n in ("SQLAlchemy", "sqlmodel", "psycopg", "celery", "python-docx", "Jinja2", "chinesecalendar")
        ),
    }
