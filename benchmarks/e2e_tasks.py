"""Celery tasks of the end-to-end benchmark (benchmarks/e2e.py starts workers on this module).

"The whole flow" of one case is eight tasks, each one transaction through the real service:

    bench.receive(i)  → receive_application                    (registrar r1)
    bench.advance(case, 0..6, variant) → perform:
        register (r1) → start_review (h1) → review_confidentiality (v1, clear)
        → decide (h1; disclosed or not_held, alternating) → submit (h1)
        → approve (a1; issues the numbered answer letter, HTML + .docx) → close (h1)

Each task enqueues the next step of its case, so cases interleave freely across workers. The
settings come from the environment like a production worker's (OGI_DATABASE_URL, OGI_DB_SCHEMA,
OGI_BROKER_URL, OGI_REDIS_PREFIX, OGI_NOW). A worker touches OGI_BENCH_READY_DIR/<pid> once ready.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from celery.signals import worker_ready

from workers.app import make_app
from workflow.config import Settings
from workflow.service import perform, receive_application

settings = Settings.from_env()
app = make_app(settings)

STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("register", "r1", {}),
    ("start_review", "h1", {}),
    ("review_confidentiality", "v1", {"conclusion": "clear"}),
    ("decide", "h1", {}),  # outcome filled in per case
    ("submit", "h1", {}),
    ("approve", "a1", {}),
    ("close", "h1", {}),
]
RECEIVED_ON = date(2026, 5, 6)


@app.task(name="bench.receive", acks_late=True)  # type: ignore[untyped-decorator]
def receive(i: int) -> int:
    case = receive_application(
        settings,
        channel="online",
        received_on=RECEIVED_ON,
        applicant=f"申请人{i}",
        applicant_type="natural_person",
        request=f"请公开本单位2025年部门决算（基准第{i}件）",
        actor="r1",
    )
    assert case.id is not None
    advance.delay(case.id, 0, i % 2)
    return case.id


@app.task(name="bench.advance", acks_late=True)  # type: ignore[untyped-decorator]
def advance(case_id: int, step: int, variant: int) -> str:
    action, actor, payload = STEPS[step]
    if action == "decide":
        payload = {"outcome": "disclosed" if variant else "not_held"}
    outcome = perform(case_id, action, actor, payload, settings=settings)
    if step + 1 < len(STEPS):
        advance.delay(case_id, step + 1, variant)
    return outcome.to_state


@worker_ready.connect
def _ready(**_: Any) -> None:
    folder = os.environ.get("OGI_BENCH_READY_DIR")
    if folder:
        Path(folder, str(os.getpid())).touch()
