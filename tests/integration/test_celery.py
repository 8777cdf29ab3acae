"""Deadline enforcement through real Celery worker processes on a real broker: Redis with
PostgreSQL (production), and the embedded default (`ogi serve`: SQLite and a file-system broker).
Each effect must happen exactly once, whatever happens to the processes and the broker."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
import redis
from sqlalchemy import func
from sqlmodel import select

from tests.conftest import PG_URL, postgres_available
from tests.factories import act, add_staff, at, new_case
from tests.helpers import free_port, need, redis_ok, wait_for
from workers.app import make_app
from workflow.config import Settings
from workflow.db import dispose_engines, reading
from workflow.ledger import audit
from workflow.models import AuditEvent, Case, Escalation
from workflow.schema import upgrade
from workflow.sweep.cases import sweep

OGI = str(Path(sys.executable).parent / "ogi")
REDIS_URL = os.environ.get("OGI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Procs:
    """Child processes (each in its own session so a kill reaches its children)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.running: list[subprocess.Popen[bytes]] = []
        self.logs: list[BinaryIO] = []

    def start(self, args: list[str], env: dict[str, str], name: str) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.tmp / f"{name}-{len(self.running)}.log"
        handle = log.open("wb")
        self.logs.append(handle)
        proc = subprocess.Popen(
            args, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.tmp
        )
        self.running.append(proc)
        return proc, log

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def stop_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)
        for handle in self.logs:
            handle.close()


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Procs]:
    p = Procs(tmp_path)
    yield p
    p.stop_all()


@pytest.fixture
def pg_env(tmp_path: Path) -> Iterator[tuple[Settings, dict[str, str]]]:
    """A fresh PostgreSQL schema and Redis key prefix, and the environment a worker needs for them."""
    need(postgres_available(), "PostgreSQL")
    need(redis_ok(REDIS_URL), "Redis")
    schema = f"ogi_celery_{uuid.uuid4().hex[:10]}"
    prefix = f"ogi-test-{uuid.uuid4().hex[:10]}:"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env.update(
        OGI_DATABASE_URL=PG_URL,
        OGI_DB_SCHEMA=schema,
        OGI_BROKER_URL=REDIS_URL,
        OGI_REDIS_PREFIX=prefix,
        OGI_VISIBILITY_TIMEOUT="6",
    )
    settings = Settings.from_env(env)
    upgrade(settings, simulation=True)
    add_staff(settings)
    try:
        yield settings, env
    finally:
        dispose_engines()
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


def start_worker(procs: Procs, env: dict[str, str], name: str, **extra: str) -> tuple[subprocess.Popen[bytes], Path]:
    proc, log = procs.start(
        [OGI, "worker", "--pool=solo", "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"], {**env, **extra}, name
    )
    wait_for(lambda: b"ready." in log.read_bytes(), 60, f"{name} to be ready")
    return proc, log


def send_sweep(env: dict[str, str], day: str) -> None:
    app = make_app(Settings.from_env(env))
    app.send_task("workers.sweep", kwargs={"as_of": f"{day}T10:00:00+08:00"})
    app.close()


def effects(settings: Settings) -> tuple[int, int, int]:
    """(escalation rows, escalate events, lapse events) in the database."""
    with reading(settings) as session:
        rows = session.exec(select(func.count()).select_from(Escalation)).one()
        actions = list(session.exec(select(AuditEvent.action)))
    return int(rows), actions.count("escalate"), sum(a.startswith("lapse_") for a in actions)


def _states(settings: Settings) -> list[str]:
    with reading(settings) as session:
        return [c.state for c in session.exec(select(Case).order_by(Case.id))]


def test_time_travel_through_the_worker_hits_every_rung_and_lapse(pg_env, procs):
    settings, env = pg_env
    answer = new_case(settings, "2026-05-06")  # answer due 6/2
    lapsing = new_case(settings, "2026-05-06")
    act(settings, answer, "2026-05-07", "start_review", "h1")
    act(settings, lapsing, "2026-05-07", "request_correction", "h1", items="请写明年份", period_days="5")  # due 5/13
    start_worker(procs, env, "w1")
    # 5/13: the correction period of `lapsing` is red (the 7 working days `answer` had to ask for a
    # correction close an option and are never escalated: issue 15); 5/14: the correction lapses;
    # then the answer's yellow, orange, red, overdue.
    expected = [
        ("2026-05-13", 1, 0),
        ("2026-05-14", 1, 1),
        ("2026-05-26", 2, 1),
        ("2026-05-29", 3, 1),
        ("2026-06-02", 4, 1),
        ("2026-06-03", 5, 1),
        ("2026-06-03", 5, 1),
        ("2026-06-04", 6, 1),
    ]
    for day, escalated, lapsed in expected:
        send_sweep(env, day)
        wait_for(lambda e=escalated, la=lapsed: effects(settings)[::2] == (e, la), 30, f"effects of {day}")
    time.sleep(1.5)  # a duplicate would have shown up by now
    assert effects(settings) == (6, 6, 1)
    assert _states(settings) == ["under_review", "deemed_abandoned"]


def test_two_workers_sweeping_at_once_do_everything_once(pg_env, procs):
    settings, env = pg_env
    for _ in range(8):
        new_case(settings, "2026-05-06")
    start_worker(procs, env, "w1")
    start_worker(procs, env, "w2")
    for _ in range(4):
        send_sweep(env, "2026-06-03")
    wait_for(lambda: effects(settings)[0] == 8, 60, "eight overdue escalations")
    time.sleep(2)
    assert effects(settings) == (8, 8, 0)


def test_worker_killed_mid_sweep_is_redelivered_and_effects_stay_unique(pg_env, procs):
    settings, env = pg_env
    for _ in range(6):
        new_case(settings, "2026-05-06")
    slow = {"OGI_SWEEP_BATCH": "1", "OGI_SWEEP_BATCH_PAUSE": "1.0"}
    first, _ = start_worker(procs, env, "victim", **slow)
    send_sweep(env, "2026-06-03")
    wait_for(lambda: effects(settings)[0] >= 2, 60, "the sweep to be under way")
    procs.kill(first)  # SIGKILL mid-task: the message was never acknowledged
    done_before = effects(settings)[0]
    assert done_before < 6
    start_worker(procs, env, "heir")
    wait_for(lambda: effects(settings)[0] == 6, 90, "the redelivered sweep to finish")
    time.sleep(2)
    assert effects(settings) == (6, 6, 0)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server binary not installed")
def test_redis_restart_mid_run_is_caught_up_by_the_database_driven_sweep(pg_env, procs, tmp_path):
    settings, env = pg_env
    port = free_port()
    redis_args = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    server, _ = procs.start(redis_args, dict(os.environ), "redis")
    url = f"redis://127.0.0.1:{port}/0"
    wait_for(lambda: redis_ok(url), 20, "private redis")
    run_env = {**env, "OGI_BROKER_URL": url, "OGI_NOW": "2026-06-03T10:00:00+08:00", "OGI_SWEEP_SECONDS": "1"}
    for _ in range(3):
        new_case(settings, "2026-05-06")
    start_worker(procs, run_env, "w1")
    procs.start([OGI, "beat", "--schedule", str(tmp_path / "beat-schedule")], run_env, "beat")
    wait_for(lambda: effects(settings)[0] == 3, 60, "the first escalations")
    procs.kill(server, signal.SIGKILL)  # Redis goes away, losing everything it held
    for _ in range(3):
        new_case(settings, "2026-05-06", recorded="2026-06-03")  # more due work while the broker is down
    time.sleep(3)
    procs.start(redis_args, dict(os.environ), "redis")
    wait_for(lambda: effects(settings)[0] == 6, 120, "the sweep to catch up after the restart")
    time.sleep(2.5)
    assert effects(settings) == (6, 6, 0)


def _settled(settings: Settings, quiet: float = 1.5, timeout: float = 30) -> tuple[int, int, int]:
    """The effects once a sweep in progress has finished: unchanged for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last, since = effects(settings), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = effects(settings)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"effects still changing after {timeout}s: {last}")


def test_embedded_serve_escalates_and_lapses_on_its_own(procs, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env.update(OGI_DATABASE_URL=f"sqlite:///{tmp_path / 'ogi.db'}", OGI_BROKER_DIR=str(tmp_path / "broker"))
    subprocess.run([OGI, "init"], env=env, check=True, capture_output=True, cwd=tmp_path)
    subprocess.run([OGI, "demo"], env=env, check=True, capture_output=True, cwd=tmp_path)
    settings = Settings.from_env(env)
    before = _states(settings)
    assert "awaiting_correction" in before and "awaiting_fee" in before
    future = {**env, "OGI_NOW": "2027-02-15T10:00:00+08:00", "OGI_SWEEP_SECONDS": "1"}
    procs.start([OGI, "serve", "--port", str(free_port())], future, "serve")
    wait_for(
        lambda: "awaiting_correction" not in _states(settings) and "awaiting_fee" not in _states(settings),
        90,
        "the lapses",
    )
    wait_for(lambda: effects(settings)[0] > 0, 30, "escalations")
    first = _settled(settings)
    time.sleep(3.5)  # several more sweeps on the same day
    assert effects(settings) == first
    with reading(settings) as session:
        assert audit.verify(session).intact
    dispose_engines()


def test_sweep_catches_up_in_process_without_any_broker(sqlite_settings):
    add_staff(sqlite_settings)
    cid = new_case(sqlite_settings, "2026-05-06")
    assert sweep(at(sqlite_settings, "2026-06-03")).escalations == [(f"依申〔2026〕{cid}号", "answer", "overdue")]
