"""The audit ledger: hash chain, database-enforced append-only, tamper detection, concurrency."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import act, add_staff, at, new_case
from workflow.db import get_engine, reading
from workflow.errors import Conflict
from workflow.ledger import audit
from workflow.models import AuditEvent, Case
from workflow.service import perform


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _verify(settings):
    with reading(settings) as session:
        return audit.verify(session)


def test_chain_links_every_event(s):
    base = _verify(s).count  # the staff the fixture added are on the ledger too
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    with reading(s) as session:
        events = audit.case_events(session, cid)
        first = session.get(AuditEvent, 1)
    assert [e.seq for e in events] == [base + 1, base + 2, base + 3]
    assert first is not None and first.prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert all(audit.event_hash(e) == e.hash for e in events)
    assert _verify(s).intact and _verify(s).count == base + 3


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET actor = 'mallory' WHERE seq = 1", "DELETE FROM audit_event WHERE seq = 1"]
)
def test_database_refuses_update_and_delete(s, statement):
    base = _verify(s).count
    new_case(s)
    with pytest.raises(DBAPIError, match="append-only"), get_engine(s).begin() as conn:
        conn.execute(text(statement))
    assert _verify(s).count == base + 2


def _drop_triggers(settings):
    with get_engine(settings).begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_change ON audit_event"))


def test_tampering_behind_the_engines_back_is_detected(s):
    b = _verify(s).count  # the fixture's staff come first on the ledger
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    _drop_triggers(s)  # an attacker with database rights
    with get_engine(s).begin() as conn:
        conn.execute(text(f"""UPDATE audit_event SET payload = '{{"outcome":"disclosed"}}' WHERE seq = {b + 4}"""))
    result = _verify(s)
    assert (result.intact, result.broken_seq, result.count) == (False, b + 4, b + 3)
    assert "被改动" in result.problem


def test_a_deleted_event_is_detected(s):
    b = _verify(s).count
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    _drop_triggers(s)
    with get_engine(s).begin() as conn:
        conn.execute(text(f"DELETE FROM audit_event WHERE seq = {b + 2}"))
    result = _verify(s)
    assert (result.intact, result.broken_seq) == (False, b + 2)


def test_events_cut_off_the_end_of_the_ledger_are_detected(s):
    b = _verify(s).count
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    assert _verify(s).intact
    _drop_triggers(s)
    with get_engine(s).begin() as conn:  # the chain still links without its last event …
        conn.execute(text(f"DELETE FROM audit_event WHERE seq = {b + 3}"))
    result = _verify(s)  # … but the case row is ahead of it
    assert (result.intact, result.count, result.broken_seq) == (False, b + 2, None)
    assert "under_review" in result.problem and "registered" in result.problem and "末尾" in result.problem
    with get_engine(s).begin() as conn:
        conn.execute(text(f"DELETE FROM audit_event WHERE case_id = {cid}"))
    assert "没有任何事件" in _verify(s).problem


def test_a_rehashed_forgery_still_breaks_the_next_link(s):
    b = _verify(s).count
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    _drop_triggers(s)
    with reading(s) as session:
        ev = audit.case_events(session, cid)[1]
    ev.actor = "mallory"
    forged = audit.event_hash(ev)
    with get_engine(s).begin() as conn:
        conn.execute(text(f"UPDATE audit_event SET actor = 'mallory', hash = :h WHERE seq = {b + 2}"), {"h": forged})
    result = _verify(s)
    assert (result.intact, result.broken_seq) == (False, b + 3)


def test_two_concurrent_performs_on_one_case_exactly_one_wins(s):
    base = _verify(s).count
    cid = new_case(s)
    with reading(s) as session:
        version = session.get(Case, cid).version
    barrier = threading.Barrier(2)
    results: list[object] = []

    def attempt(actor: str, payload: dict[str, str]) -> None:
        barrier.wait()
        try:
            results.append(perform(cid, "assign", actor, payload, version, settings=at(s, "2026-05-07")))
        except Conflict as exc:
            results.append(exc)

    threads = [
        threading.Thread(target=attempt, args=("r1", {"handler": "h1"})),
        threading.Thread(target=attempt, args=("a1", {"handler": "h2"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Outcome"]
    result = _verify(s)
    assert result.intact and result.count == base + 3


def test_concurrent_performs_on_different_cases_keep_one_chain(s):
    base = _verify(s).count
    ids = [new_case(s) for _ in range(4)]
    errors: list[BaseException] = []

    def run(cid: int) -> None:
        try:
            for action in ("start_review", "assign"):
                payload = {"handler": "h2"} if action == "assign" else {}
                perform(cid, action, "h1" if action == "start_review" else "r1", payload, settings=at(s, "2026-05-07"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(cid,)) for cid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = _verify(s)
    assert result.intact and result.count == base + 4 * 2 + 4 * 2
