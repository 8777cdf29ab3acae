"""Logs of the engine and the sweep: one line per action, and a refused automatic lapse is logged
and escalated to the handler, never dropped."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from workflow import logs
from workflow.db import reading
from workflow.errors import Refused
from workflow.models import Case, Escalation, Notification
from workflow.sweep import cases as sweep_module
from workflow.sweep.cases import sweep


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure({"OGI_LOG_FORMAT": "json"}, stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO, logger: str) -> list[dict[str, object]]:
    return [r for r in map(json.loads, stream.getvalue().splitlines()) if r["logger"] == logger]


def _unpaid_fee(s) -> int:
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "issue_fee_notice", "h1", method="per_page", pages="50")  # due 2026-06-03
    return cid


def test_perform_logs_each_action_and_each_refusal(s, lines):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    with reading(s) as session:
        number = session.get(Case, cid).number
    taken = [r for r in records(lines, "ogi.engine") if r["action"] == "start_review"]
    assert [(r["level"], r["case"], r["case_id"], r["actor"], r["from_state"], r["to_state"]) for r in taken] == [
        ("INFO", number, cid, "h1", "registered", "under_review")
    ]
    with pytest.raises(Refused):
        act(s, cid, "2026-05-08", "start_review", "h1")
    [refused] = [r for r in records(lines, "ogi.engine") if r["level"] == "WARNING"]
    assert (refused["case_id"], refused["action"], refused["rule"]) == (cid, "start_review", "flow.illegal_transition")


def test_a_refused_lapse_is_logged_and_escalated_once(s, lines, monkeypatch):
    cid = _unpaid_fee(s)
    real = sweep_module.perform

    def refusing(case_id, action, *args, **kwargs):
        if action == "lapse_fee":
            raise Refused("测试：本次自动处理被拒绝", "test.refused_lapse")
        return real(case_id, action, *args, **kwargs)

    monkeypatch.setattr(sweep_module, "perform", refusing)
    report = sweep(at(s, "2026-06-04"))
    with reading(s) as session:
        case = session.get(Case, cid)
        rows = list(session.exec(select(Escalation).where(Escalation.level == "refused")))
        notes = list(session.exec(select(Notification).where(Notification.kind == "lapse_refused")))
    assert case.state == "awaiting_fee" and report.lapses == []
    assert report.refused == [(case.number, "lapse_fee")]
    assert [(e.case_id, e.deadline, e.due_on.isoformat()) for e in rows] == [(cid, "fee", "2026-06-03")]
    assert [n.user_name for n in notes] == ["h1"] and "test.refused_lapse" in notes[0].body
    [warning] = [r for r in records(lines, "ogi.sweep") if r["level"] == "WARNING"]
    assert (warning["case"], warning["action"], warning["rule"]) == (case.number, "lapse_fee", "test.refused_lapse")
    # The next sweep tries again; still refused, it does not ask the handler a second time.
    report = sweep(at(s, "2026-06-05"))
    assert report.refused == [] and report.lapses == []
    with reading(s) as session:
        assert len(list(session.exec(select(Escalation).where(Escalation.level == "refused")))) == 1
    # Once the refusal is gone the lapse is taken as usual.
    monkeypatch.setattr(sweep_module, "perform", real)
    assert [a for _, a in sweep(at(s, "2026-06-08")).lapses] == ["lapse_fee"]
