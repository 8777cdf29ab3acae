"""6. End to end: cases per second through the whole flow with 1, then 2, Celery workers.

Real worker processes (`celery -A benchmarks.e2e_tasks worker --pool=solo`, one process each),
Redis as broker (its own key prefix on OGI_BENCH_REDIS_URL's database), PostgreSQL (a fresh
schema per run). A warm-up batch first (imports, connections, templates in every worker), then N
cases are sent at once; the time is from sending to the moment the database shows all N closed.
Baseline: the same N with one worker; ratio = 2-worker rate ÷ 1-worker rate.

    python -m benchmarks.e2e [N]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from benchmarks.common import REDIS_URL, REPO, Outcome, Row, postgres_db, postgres_ok, rate, redis_ok, times
from tests.factories import add_staff
from workers.app import make_app
from workflow.config import Settings
from workflow.db import reading
from workflow.models import Case

NOW = "2026-05-07T10:00:00+08:00"
TASKS_PER_CASE = 8
WARMUP_PER_WORKER = 4


def _closed(settings: Settings) -> int:
    with reading(settings) as session:
        return int(session.exec(select(func.count()).select_from(Case).where(col(Case.state) == "closed")).one())


def _wait(settings: Settings, want: int, timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while _closed(settings) < want:
        if time.monotonic() > deadline:
            tail = "\n".join(p.read_text(errors="replace")[-2000:] for p in logs)
            raise RuntimeError(f"e2e: {_closed(settings)} of {want} cases closed after {timeout:.0f} s\n{tail}")
        time.sleep(0.05)


def _cleanup_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def one_run(workers: int, n: int) -> float:
    """Cases per second with `workers` worker processes."""
    prefix = f"ogi-bench-{uuid.uuid4().hex[:10]}:"
    procs: list[subprocess.Popen[bytes]] = []
    handles = []
    with postgres_db() as settings, tempfile.TemporaryDirectory(prefix="ogi-bench-e2e-") as tmp:
        add_staff(settings)
        ready = Path(tmp) / "ready"
        ready.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
        env.update(
            OGI_DATABASE_URL=settings.database_url,
            OGI_DB_SCHEMA=settings.db_schema or "",
            OGI_BROKER_URL=REDIS_URL,
            OGI_REDIS_PREFIX=prefix,
            OGI_NOW=NOW,
            OGI_BENCH_READY_DIR=str(ready),
            PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        )
        logs = [Path(tmp) / f"worker{k}.log" for k in range(workers)]
        app = make_app(Settings.from_env(env))
        try:
            for k, log in enumerate(logs):
                handle = log.open("wb")
                handles.append(handle)
                args = [sys.executable, "-m", "celery", "-A", "benchmarks.e2e_tasks", "worker", "--pool=solo"]
                args += ["-n", f"bench{k}-{prefix[10:20]}@%h", "--loglevel=WARNING"]
                args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
                procs.append(
                    subprocess.Popen(
                        args, env=env, cwd=tmp, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
            deadline = time.monotonic() + 60
            while len(list(ready.iterdir())) < workers:
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise RuntimeError("e2e: workers did not start:\n" + "\n".join(p.read_text() for p in logs))
                time.sleep(0.1)
            warm = WARMUP_PER_WORKER * workers
            for i in range(warm):
                app.send_task("bench.receive", args=[i])
            _wait(settings, warm, 120, logs)
            t0 = time.perf_counter()
            for i in range(warm, warm + n):
                app.send_task("bench.receive", args=[i])
            _wait(settings, warm + n, 60 + n, logs)
            elapsed = time.perf_counter() - t0
        finally:
            app.close()
            _stop(procs)
            for handle in handles:
                handle.close()
            _cleanup_redis(prefix)
    return n / elapsed


def run(full: bool = False) -> Outcome:
    n = 400 if full else 100
    out = Outcome(
        "e2e",
        "6. End to end through Celery workers (Redis + PostgreSQL)",
        f"{n} cases, each taken receive → register → start_review → review_confidentiality → decide (disclosed / "
        "not_held alternating) → submit → approve (issues the numbered answer letter, HTML + .docx) → close: "
        f"{TASKS_PER_CASE} Celery tasks a case (benchmarks/e2e_tasks.py), each step enqueuing the next. Real worker "
        "processes `celery -A benchmarks.e2e_tasks worker --pool=solo`, 1 then 2 of them; Redis broker; PostgreSQL, "
        f"a fresh schema per run; a warm-up of {WARMUP_PER_WORKER} cases per worker first. Time from sending the N "
        "receive tasks until the database shows all N closed. Baseline: the 1-worker run.",
    )
    if not (postgres_ok() and redis_ok()):
        out.skipped = "PostgreSQL or Redis not reachable"
        return out
    one = one_run(1, n)
    two = one_run(2, n)
    scaling = two / one
    out.rows += [
        Row("1 worker", f"{rate(one)} cases/s ({rate(one * TASKS_PER_CASE)} tasks/s)", "—", "—"),
        Row(
            "2 workers",
            f"{rate(two)} cases/s ({rate(two * TASKS_PER_CASE)} tasks/s)",
            f"{rate(one)} cases/s (1 worker)",
            f"{times(scaling)} scaling",
            "report (ideal 2×)",
        ),
    ]
    out.notes.append(
        f"No numeric target; scaling from 1 to 2 workers is {times(scaling)}. The machine has "
        f"{os.cpu_count()} cores shared by the workers, PostgreSQL, Redis and this driver, and every step's "
        "transaction appends to the one hash-chained ledger under a PostgreSQL advisory lock held until commit "
        "(one WAL flush each), so the appends of all workers are serialised; with two workers the CPU is "
        "already shared with the database server, which caps scaling well below 2× here."
    )
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(f"1 worker: {one_run(1, count):.1f} cases/s; 2 workers: {one_run(2, count):.1f} cases/s")
