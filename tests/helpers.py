"""Small helpers shared by the tests that run real processes and servers."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable

import pytest
import redis
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("OGI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("OGI_TEST_REQUIRE_POSTGRES") == "1"


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> None:
    """Poll until `predicate` holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redis_ok(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def need(ok: bool, what: str) -> None:
    """Skip when a server is missing, or fail when CI requires the real services."""
    if not ok:
        if REQUIRE_PG:
            pytest.fail(f"{what} required (OGI_TEST_REQUIRE_POSTGRES=1) but not reachable")
        pytest.skip(f"{what} not reachable")


def drop_schema(schema: str, url: str = PG_URL) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()
