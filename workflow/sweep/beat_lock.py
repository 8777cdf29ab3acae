"""One scheduler per database: `ogi beat` (or a worker with an embedded beat) holds this lock for
its whole life, so a second one on the same database or broker folder is refused and no schedule
ever runs twice. PostgreSQL: a session advisory lock on a connection kept open; SQLite and the
embedded file broker: an exclusive flock on a file beside them. The operating system releases
either when the process dies, however it dies."""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text

from workflow.config import Settings
from workflow.db import get_engine

_held: list[Any] = []  # open files and connections: the locks live as long as they do


class BeatLocked(RuntimeError):
    """Another scheduler already runs on this database or broker."""


def _key(settings: Settings) -> int:
    digest = hashlib.sha256(f"ogi-beat:{settings.db_schema or ''}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _flock(path: Path, what: str) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the process's life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BeatLocked(f"已有期限调度进程（beat）在使用{what}，不能再启动第二个") from None
    return handle


def acquire(settings: Settings) -> None:
    """Take the scheduler lock for this process or raise BeatLocked."""
    engine = get_engine(settings)
    if engine.dialect.name == "postgresql":
        conn = engine.connect()
        if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(settings)}).scalar():
            conn.close()
            raise BeatLocked("已有期限调度进程（beat）在使用此数据库，不能再启动第二个")
        conn.commit()
        _held.append(conn)
    else:
        database = engine.url.database or "ogi.db"
        _held.append(_flock(Path(database).resolve().with_suffix(".beat-lock"), "此数据库"))
    if not settings.broker_url:
        _held.append(_flock(Path(settings.broker_dir).resolve() / "beat.lock", "此消息目录"))


def release() -> None:
    while _held:
        _held.pop().close()
