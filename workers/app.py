"""The Celery application, configured from the environment.

Production: Redis (OGI_BROKER_URL=redis://...), with separate `ogi worker` and `ogi beat`
processes. Embedded default (no OGI_BROKER_URL): kombu's file-system transport in
OGI_BROKER_DIR, so `ogi serve` needs no server. Tasks carry ids only; the database holds every
deadline, so a lost message is caught up by the next sweep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

from workflow import logs
from workflow.config import Settings


def broker_options(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The broker URL and its transport options."""
    if settings.broker_url:
        # Unacknowledged work of a dead worker comes back after the visibility timeout; scan for it
        # every few seconds rather than kombu's default of every 100 (interval × throttle).
        options: dict[str, Any] = {
            "visibility_timeout": settings.visibility_timeout,
            "unacked_restore_interval": max(1, min(10, settings.visibility_timeout // 2)),
            "unacked_restore_throttle": 1,
        }
        if settings.redis_prefix:
            options["global_keyprefix"] = settings.redis_prefix
        return settings.broker_url, options
    folder = Path(settings.broker_dir).resolve()
    for sub in ("queue", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    queue = str(folder / "queue")
    return "filesystem://", {
        "data_folder_in": queue,
        "data_folder_out": queue,
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
    }


def make_app(settings: Settings | None = None) -> Celery:
    settings = settings or Settings.from_env()
    url, options = broker_options(settings)
    app = Celery("ogi", broker=url, include=["workers.tasks"])
    app.conf.update(
        broker_transport_options=options,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        timezone="Asia/Shanghai",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        beat_schedule={
            "deadline-sweep": {"task": "workers.sweep", "schedule": settings.sweep_seconds},
            "outbox-relay": {"task": "workers.relay_outbox", "schedule": 10.0},
            "daily-digest": {"task": "workers.daily_digest", "schedule": crontab(hour=8, minute=30)},
            "daily-checkpoint": {"task": "workers.checkpoint", "schedule": crontab(hour=0, minute=5)},
        },
    )
    return app


def _logging(**_: Any) -> None:
    """The project's logging instead of Celery's (connecting this signal tells Celery so)."""
    logs.configure(default_level="INFO")


def _bind_task_id(task_id: str | None = None, **_: Any) -> None:
    logs.task_id.set(task_id)


def _unbind_task_id(**_: Any) -> None:
    logs.task_id.set(None)


signals.setup_logging.connect(_logging)
signals.task_prerun.connect(_bind_task_id)
signals.task_postrun.connect(_unbind_task_id)
app = make_app()
