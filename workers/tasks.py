"""Thin tasks: each takes ids (or nothing), reads the settings and calls one workflow function.
Every effect is idempotent in the database, so retries and redeliveries are harmless."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy.exc import OperationalError

from workers.app import app
from workflow.config import Settings
from workflow.notify.digest import daily_digest
from workflow.notify.outbox import process, relay
from workflow.sweep.cases import sweep

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 10}


def _settings(as_of: str | None) -> Settings:
    """The environment's settings, or "as of" an ISO moment (what-if runs and time-travel tests)."""
    env = dict(os.environ, OGI_NOW=as_of) if as_of else None
    return Settings.from_env(env)


@app.task(name="workers.sweep", acks_late=True, **RETRY)  # type: ignore[untyped-decorator]
def sweep_task(as_of: str | None = None) -> dict[str, Any]:
    report = sweep(_settings(as_of))
    return {
        "as_of": report.as_of.isoformat(),
        "escalations": len(report.escalations),
        "lapses": len(report.lapses),
        "refused": len(report.refused),
        "seconds": report.seconds,
    }


@app.task(name="workers.process_outbox", acks_late=True, **RETRY)  # type: ignore[untyped-decorator]
def process_outbox(item_id: int) -> str:
    return process(Settings.from_env(), item_id)


@app.task(name="workers.relay_outbox", acks_late=True, **RETRY)  # type: ignore[untyped-decorator]
def relay_outbox() -> int:
    return relay(Settings.from_env(), send=lambda item_id: process_outbox.delay(item_id))


@app.task(name="workers.daily_digest", acks_late=True, **RETRY)  # type: ignore[untyped-decorator]
def digest_task() -> int:
    return daily_digest(Settings.from_env())


@app.task(name="workers.checkpoint", acks_late=True, **RETRY)  # type: ignore[untyped-decorator]
def checkpoint_task() -> int:
    """The daily signed checkpoint of the ledger's head (workflow/ledger/checkpoints.py)."""
    from workflow.ledger.checkpoints import write_checkpoint

    return int(write_checkpoint(Settings.from_env())["seq"])


@app.task(name="workers.ping")  # type: ignore[untyped-decorator]
def ping() -> str:
    return "pong"
