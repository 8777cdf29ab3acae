"""The project's logging, configured in one place.

Every record carries the context it was written in: the web request's id, the Celery task's id
and the case the engine is acting on, each set by its entry point through a context variable.
A terminal gets one readable line per record; ``OGI_LOG_FORMAT=json`` gives one JSON object per
line for a log collector. ``OGI_LOG_LEVEL`` sets the level (default INFO).

Logs carry ids, numbers, actions and rules, never personal data: no applicant names, identity
numbers, addresses or request texts (they are in the database, behind its access rules).
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any, ParamSpec, TypeVar

from workflow.config import environment
from workflow.errors import WorkflowError

request_id: ContextVar[str | None] = ContextVar("ogi_request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("ogi_task_id", default=None)
case: ContextVar[str | None] = ContextVar("ogi_case", default=None)

CONTEXT = {"request_id": request_id, "task_id": task_id, "case": case}
# Fields a call may add with `extra=`; anything else in `extra` is not written out.
FIELDS = ("case_id", "action", "actor", "from_state", "to_state", "rule", "deadline", "status", "method", "path", "ms")
_HANDLER_MARK = "_ogi_handler"

P = ParamSpec("P")
R = TypeVar("R")


class ContextFilter(logging.Filter):
    """Copies the context variables onto each record (a field given in `extra` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in CONTEXT.items():
            if getattr(record, name, None) is None:
                setattr(record, name, var.get())
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    names = (*CONTEXT, *FIELDS)
    return {name: getattr(record, name) for name in names if getattr(record, name, None) is not None}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s %(message)s%(context)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        context = _fields(record)
        record.context = (" [" + " ".join(f"{k}={v}" for k, v in context.items()) + "]") if context else ""
        return super().format(record)


class _Stream(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the given stream, or to whatever sys.stderr is at the time of each record (a
    test runner or daemon may replace it after logging is configured)."""

    def __init__(self, stream: IO[str] | None) -> None:
        super().__init__(stream)
        self._fixed = stream

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = self._fixed or sys.stderr
        super().emit(record)


def configure(
    env: Mapping[str, str] | None = None, stream: IO[str] | None = None, *, default_level: str = "INFO"
) -> logging.Handler:
    """Install the project's handler on the root logger (replacing one installed earlier, so
    calling this again, e.g. from a second entry point, never doubles the lines)."""
    env = environment() if env is None else env
    handler = _Stream(stream)
    json_format = env.get("OGI_LOG_FORMAT", "").strip().lower() == "json"
    handler.setFormatter(JsonFormatter() if json_format else TextFormatter())
    handler.addFilter(ContextFilter())
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    level = env.get("OGI_LOG_LEVEL", "").strip().upper() or default_level
    root.setLevel(logging.getLevelNamesMapping().get(level, logging.INFO))
    return handler


@contextmanager
def bound(var: ContextVar[str | None], value: str | None) -> Iterator[None]:
    """Set a context variable for the duration of a block."""
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


_engine = logging.getLogger("ogi.engine")


def logged_action(perform: Callable[P, R]) -> Callable[P, R]:
    """One INFO line per action taken (case number, action, actor, from→to state) and one WARNING
    per action refused (with the rule), for the engine's `perform`."""

    @functools.wraps(perform)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        case_id = args[0] if args else kwargs.get("case_id")
        action = args[1] if len(args) > 1 else kwargs.get("action")
        actor = args[2] if len(args) > 2 else kwargs.get("actor")
        base = {"case_id": case_id, "action": action, "actor": actor}
        try:
            done = perform(*args, **kwargs)
        except WorkflowError as exc:
            _engine.warning("action refused: %s (%s)", action, exc.rule, extra={**base, "rule": exc.rule})
            raise
        number = getattr(done, "number", None)  # the case's number, a registry item's index number
        moved = {"from_state": getattr(done, "from_state", None), "to_state": getattr(done, "to_state", None)}
        _engine.info(
            "action taken: %s %s→%s",
            action,
            moved["from_state"],
            moved["to_state"],
            extra={**base, "case": number, **moved},
        )
        return done

    return wrapper
