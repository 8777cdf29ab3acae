"""Structured logs: one JSON object per line with the context of the request, task or case."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from workflow import logs


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure({"OGI_LOG_FORMAT": "json"}, stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_the_context(lines: io.StringIO) -> None:
    with logs.bound(logs.request_id, "req-12345678"), logs.bound(logs.task_id, "task-1"):
        logging.getLogger("ogi.test").info("刻度 %s", 1, extra={"case": "依申〔2026〕1号", "action": "register"})
    logging.getLogger("ogi.test").warning("outside")
    first, second = records(lines)
    assert first["message"] == "刻度 1" and first["level"] == "INFO" and first["logger"] == "ogi.test"
    assert (first["request_id"], first["task_id"], first["case"], first["action"]) == (
        "req-12345678",
        "task-1",
        "依申〔2026〕1号",
        "register",
    )
    assert "request_id" not in second and "task_id" not in second


def test_a_terminal_gets_readable_lines() -> None:
    stream = io.StringIO()
    handler = logs.configure({}, stream)
    try:
        with logs.bound(logs.case, "依申〔2026〕2号"):
            logging.getLogger("ogi.test").warning("hello")
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue().strip()
    assert line.endswith("ogi.test hello [case=依申〔2026〕2号]") and "WARNING" in line
    assert not line.startswith("{")


def test_configure_twice_never_doubles_lines(lines: io.StringIO) -> None:
    again = logs.configure({"OGI_LOG_FORMAT": "json"}, lines)
    try:
        logging.getLogger("ogi.test").warning("once")
        assert len(records(lines)) == 1
    finally:
        logging.getLogger().removeHandler(again)


def test_celery_tasks_log_their_task_id() -> None:
    from celery import signals

    from workers.tasks import ping

    seen: list[str | None] = []

    def look(**_: object) -> None:
        seen.append(logs.task_id.get())

    signals.task_prerun.connect(look)  # after the project's receiver, which binds the id
    try:
        result = ping.apply(task_id="t-0001")
    finally:
        signals.task_prerun.disconnect(look)
    assert result.get() == "pong" and seen == ["t-0001"]
    assert logs.task_id.get() is None  # unbound once the task is done


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("abcdef12-3456", True), ("short", False), ("not a token; <b>", False), ("x" * 65, False), (None, False)],
)
def test_the_web_echoes_a_request_id(sqlite_settings, lines: io.StringIO, incoming: str | None, kept: bool) -> None:
    from web.app import create_app

    client = TestClient(create_app(sqlite_settings))
    headers = {"X-Request-ID": incoming} if incoming is not None else {}
    answer = client.get("/healthz?name=张三", headers=headers)
    rid = answer.headers["X-Request-ID"]
    assert (rid == incoming) is kept and len(rid) >= 8
    [line] = [r for r in records(lines) if r["logger"] == "ogi.web"]
    assert (line["request_id"], line["path"], line["status"]) == (rid, "/healthz", answer.status_code)
    assert "张三" not in lines.getvalue()  # the query string, which may hold a name, is never logged
