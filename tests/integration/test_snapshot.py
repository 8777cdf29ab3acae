"""The clock snapshot on the case row (workflow/ledger/snapshot.py): what perform folds forward one event
at a time equals a replay of the ledger, a missing or outdated snapshot is rebuilt from the
ledger, and `audit verify` names a snapshot changed behind the engine's back. (Random action
sequences: the stateful test in test_property.py checks the same equality after every step.)"""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.factories import act, add_staff, new_case
from workflow.actions.checks import all_problems
from workflow.db import get_engine, reading
from workflow.ledger import audit, snapshot
from workflow.models import Case


def _stored_and_replayed(settings, cid: int) -> tuple[snapshot.CaseFacts | None, snapshot.CaseFacts, Case]:
    with reading(settings) as session:
        case = session.get(Case, cid)
        events = audit.case_events(session, cid)
    assert case is not None
    return snapshot.loads(case.clock_snapshot), snapshot.replay(events), case


def _busy_case(s) -> int:
    """A case through correction, a third-party consultation with its objection, a fee and an
    extension: every kind of fact the snapshot keeps."""
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "assign", "r1", handler="h1")
    act(s, cid, "2026-05-07", "request_correction", "h1", items="请写明文件名称", period_days="10")
    act(s, cid, "2026-05-11", "receive_correction", "r1")
    act(s, cid, "2026-05-11", "start_review", "h1")
    act(s, cid, "2026-05-12", "review_confidentiality", "v1", conclusion="third_party")
    act(s, cid, "2026-05-12", "consult", "h1", party="third_party", addressee="某公司")
    act(s, cid, "2026-05-20", "record_reply", "h1", opinion="objection", reason="含商业秘密", reasonable="yes")
    act(s, cid, "2026-05-21", "extend", "a1", days="10", reason="情况复杂")
    return cid


def test_the_snapshot_perform_keeps_equals_the_replay_of_the_ledger(settings):
    add_staff(settings)
    cid = _busy_case(settings)
    stored, replayed, case = _stored_and_replayed(settings, cid)
    assert stored is not None and stored.seq == replayed.seq
    assert snapshot.as_dict(stored) == snapshot.as_dict(replayed)
    assert stored.clock.extension_days == 10 and stored.clock.consultations[0].opinion == "objection"
    assert stored.ledger.correction_requests == 1 and stored.ledger.review_conclusion == "third_party"
    with reading(settings) as session:
        assert all_problems(session) == []


def test_a_missing_or_outdated_snapshot_is_rebuilt_from_the_ledger(settings):
    add_staff(settings)
    cid = _busy_case(settings)
    with get_engine(settings).begin() as conn:
        conn.execute(text('UPDATE "case" SET clock_snapshot = NULL WHERE id = :cid'), {"cid": cid})
    act(settings, cid, "2026-05-22", "decide", "h1", outcome="not_held")
    stored, replayed, _ = _stored_and_replayed(settings, cid)
    assert stored is not None and snapshot.as_dict(stored) == snapshot.as_dict(replayed)
    old = json.dumps({**snapshot.as_dict(stored), "format": 0, "clock": {}})
    with get_engine(settings).begin() as conn:
        conn.execute(text('UPDATE "case" SET clock_snapshot = :s WHERE id = :cid'), {"s": old, "cid": cid})
    act(settings, cid, "2026-05-22", "submit", "h1")
    stored, replayed, _ = _stored_and_replayed(settings, cid)
    assert stored is not None and snapshot.as_dict(stored) == snapshot.as_dict(replayed)


def test_verify_names_a_snapshot_changed_behind_the_engine(settings):
    add_staff(settings)
    cid = _busy_case(settings)
    stored, _, case = _stored_and_replayed(settings, cid)
    assert stored is not None
    forged = snapshot.as_dict(stored)
    forged["clock"]["extension_days"] = 0  # as if the extension had never been granted
    with get_engine(settings).begin() as conn:
        conn.execute(
            text('UPDATE "case" SET clock_snapshot = :s WHERE id = :cid'), {"s": json.dumps(forged), "cid": cid}
        )
    with reading(settings) as session:
        problems = all_problems(session)
    assert problems == [
        f"案件 {case.number} 的时钟快照与账本重放的结果不符（记至第 {stored.seq} 条事件）：不符项 延长天数"
    ]
    with get_engine(settings).begin() as conn:
        conn.execute(text('UPDATE "case" SET clock_snapshot = :s WHERE id = :cid'), {"s": "{", "cid": cid})
    with reading(settings) as session:
        assert f"案件 {case.number} 的时钟快照无法读取（格式不符）" in all_problems(session)


def test_every_fact_the_snapshot_keeps_has_a_chinese_label():
    kept = snapshot.as_dict(snapshot.CaseFacts())
    assert set(kept["clock"]) | set(kept["ledger"]) == set(snapshot.LABELS)
