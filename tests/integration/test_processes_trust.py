"""Issue 14, point 8: `ogi serve` takes its worker and beat down with it; one beat per database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import free_port, wait_for
from workflow.config import Settings
from workflow.sweep import beat_lock


def _env(tmp_path: Path, settings: Settings | None = None) -> dict[str, str]:
    env = dict(os.environ, OGI_BROKER_DIR=str(tmp_path / "broker"), OGI_SECRET_KEY="k" * 40)
    env["OGI_DATABASE_URL"] = settings.database_url if settings else f"sqlite:///{tmp_path / 'ogi.db'}"
    if settings and settings.db_schema:
        env["OGI_DB_SCHEMA"] = settings.db_schema
    env.pop("OGI_BROKER_URL", None)
    return env


def test_a_second_beat_on_the_same_database_is_refused(settings, tmp_path):
    held = Settings(**{**settings.__dict__, "broker_dir": str(tmp_path / "broker")})
    beat_lock.acquire(held)  # a beat already runs on this database
    try:
        r = subprocess.run(
            [sys.executable, "-m", "cli.main", "beat"],
            env=_env(tmp_path, settings),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert r.returncode != 0 and "beat" in r.stderr and "第二个" in r.stderr, r.stderr[-500:]
        assert "Traceback" not in r.stderr
    finally:
        beat_lock.release()
    with pytest.raises(beat_lock.BeatLocked):  # and in one process: the lock is exclusive
        beat_lock.acquire(held)
        try:
            beat_lock.acquire(held)
        finally:
            beat_lock.release()


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text().split() if (task / "children").exists() else []
        out.update(int(c) for c in text)
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split(") ")[1][0] != "Z"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_ends_its_worker_and_beat_on_a_signal(tmp_path, sig):
    port = free_port()
    subprocess.run(
        [sys.executable, "-m", "cli.main", "init"], env=_env(tmp_path), cwd=tmp_path, check=True, capture_output=True
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 90, "ogi serve to answer")
        wait_for(lambda: bool(_children(proc.pid)), 30, "the worker to start")
        worker = next(iter(_children(proc.pid)))
        wait_for(lambda: bool(_children(worker)), 60, "the embedded beat to start")
        family = {worker, *_children(worker)}
        proc.send_signal(sig)
        proc.wait(timeout=60)
        wait_for(lambda: not any(_alive(p) for p in family), 40, "the worker and beat to end")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
