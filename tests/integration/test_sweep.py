"""The deadline sweep, by time travel: every ladder step, every lapse, each effect exactly once."""

from __future__ import annotations

import threading
from collections import Counter as Tally

import pytest
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from workflow.db import reading
from workflow.ledger import audit
from workflow.letters.issue import letters_of
from workflow.models import Case, Escalation, Notification
from workflow.sweep.cases import sweep


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def escalations(settings):
    with reading(settings) as session:
        return [
            (e.deadline, e.level, e.effect_day.isoformat())
            for e in session.exec(select(Escalation).order_by(Escalation.id))
        ]


def inbox(settings, level_word: str | None = None) -> Tally:
    with reading(settings) as session:
        notes = list(session.exec(select(Notification)))
    return Tally(n.user_name for n in notes if level_word is None or level_word in n.title)


def state(settings, cid):
    with reading(settings) as session:
        return session.get(Case, cid)


def test_answer_deadline_climbs_every_rung_of_the_ladder(s):
    cid = new_case(s, "2026-05-06")  # answer due 2026-06-02
    act(s, cid, "2026-05-07", "start_review", "h1")
    steps = [
        ("2026-05-25", []),  # 6 working days left: nothing yet
        ("2026-05-26", [("answer", "yellow", "2026-06-02")]),  # 5 left
        ("2026-05-28", []),  # 3 left: still yellow, already told
        ("2026-05-29", [("answer", "orange", "2026-06-02")]),  # 2 left
        ("2026-06-02", [("answer", "red", "2026-06-02")]),  # the due day
        ("2026-06-03", [("answer", "overdue", "2026-06-03")]),
        ("2026-06-03", []),  # the same day again: nothing new
        ("2026-06-06", []),  # a Saturday: no overdue reminder
        ("2026-06-08", [("answer", "overdue", "2026-06-08")]),
    ]
    seen: list[tuple[str, str, str]] = []
    for day, expected in steps:
        report = sweep(at(s, day))
        assert [(d, lv) for _, d, lv in report.escalations] == [(d, lv) for d, lv, _ in expected], day
        seen += expected
        assert escalations(s) == seen
    assert inbox(s, "黄色") == {"h1": 1}
    assert inbox(s, "橙色") == {"h1": 1, "a1": 1, "a2": 1}
    assert inbox(s, "红色") == {"a1": 1, "a2": 1, "m1": 1}
    assert inbox(s, "已逾期") == {"h1": 2, "a1": 2, "a2": 2, "m1": 2}
    assert state(s, cid).flagged
    with reading(s) as session:
        kinds = [e.action for e in audit.case_events(session, cid)]
        assert kinds.count("escalate") == 5 and audit.verify(session).intact


def test_correction_reply_lapses_and_the_notice_window_is_never_escalated(s):
    unnoticed = new_case(s, "2026-05-06")  # correction notice due 5/14; no correction asked
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "request_correction", "h1", items="请写明年份", period_days="5")  # due 5/13
    sweep(at(s, "2026-05-07"))  # the notice window (5/14) is within the yellow rung: still nothing
    report = sweep(at(s, "2026-05-13"))
    assert ("correction_reply", "red") in {(d, lv) for _, d, lv in report.escalations}
    report = sweep(at(s, "2026-05-14"))
    assert report.lapses == [(state(s, cid).number, "lapse_correction")]
    assert state(s, cid).state == "deemed_abandoned"
    with reading(s) as session:
        assert [letter.kind for letter in letters_of(session, cid)][-1] == "termination_no_correction"
        last = audit.case_events(session, cid)[-1]
        assert (last.actor, last.role, last.action) == ("system", "system", "lapse_correction")
    report = sweep(at(s, "2026-05-15"))
    assert report.lapses == []
    assert state(s, unnoticed).state == "registered"  # the 7-day notice limit never lapses anything
    # It closes an option of the office (Art. 30), not an obligation: no rung, no reminder, ever.
    assert [e for e in escalations(s) if e[0] == "correction_notice"] == []
    with reading(s) as session:
        titles = [n.title for n in session.exec(select(Notification).where(Notification.case_id == unnoticed))]
    assert not any("补正告知" in t for t in titles)


def test_consultation_lapses_by_type_and_internal_ones_only_escalate(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "consult", "h1", party="internal_department", addressee="法规科")  # due 5/14
    act(s, cid, "2026-05-07", "consult", "h1", party="other_agency", addressee="市财政局", delivered_on="2026-05-07")
    sweep(at(s, "2026-05-20"))
    assert ("consultation", "overdue", "2026-05-20") in escalations(s)
    assert inbox(s, "协办期限（征求意见1）已逾期")["h1"] == 1  # the internal one is named as 协办
    assert state(s, cid).state == "consulting"
    report = sweep(at(s, "2026-05-29"))
    assert report.lapses == [(state(s, cid).number, "lapse_consultation")]
    assert state(s, cid).state == "consulting"  # the internal consultation is still open
    act(s, cid, "2026-05-29", "record_reply", "h1", consultation="1", opinion="consent")
    assert state(s, cid).state == "under_review"


def test_unpaid_fee_lapses(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    # fee due 20 WD after 5/7: 5/8, 5/9 (make-up), 5/11..15, 5/18..22, 5/25..29, 6/1..3
    act(s, cid, "2026-05-07", "issue_fee_notice", "h1", method="per_page", pages="50")
    assert sweep(at(s, "2026-06-03")).lapses == []
    assert [a for _, a in sweep(at(s, "2026-06-04")).lapses] == ["lapse_fee"]
    assert state(s, cid).state == "abandoned_unpaid"


def test_a_paused_answer_clock_is_not_escalated(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-08", "consult", "h1", party="third_party", addressee="某公司", delivered_on="2026-05-08")
    report = sweep(at(s, "2026-05-27"))
    assert [(d, lv) for _, d, lv in report.escalations] == [("consultation", "orange")]
    assert state(s, cid).clock_state == "paused"


def test_concurrent_sweeps_produce_each_effect_once(s):
    ids = [new_case(s, "2026-05-06") for _ in range(6)]
    for cid in ids[:3]:
        act(s, cid, "2026-05-07", "request_correction", "h1", items="请写明年份", period_days="5")
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run() -> None:
        barrier.wait()
        try:
            sweep(at(s, "2026-06-03"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(escalations(s)) == [("answer", "overdue", "2026-06-03")] * 3
    assert sorted(state(s, cid).state for cid in ids) == ["deemed_abandoned"] * 3 + ["registered"] * 3
    with reading(s) as session:
        events = [e.action for cid in ids for e in audit.case_events(session, cid)]
        assert events.count("lapse_correction") == 3 and events.count("escalate") == 3
        assert audit.verify(session).intact


def test_flagging_a_case_moves_its_version_and_the_ledger_says_so(s):
    """A flag is a change of the case: a form opened before it is refused, and audit verify
    projects the same version from the ledger (issue 13: the sweep set flags without versions)."""
    from workflow.actions.checks import case_problems
    from workflow.errors import Conflict
    from workflow.service import perform

    cid = new_case(s, "2026-05-06")  # answer due 2026-06-02
    act(s, cid, "2026-05-07", "start_review", "h1")
    seen = state(s, cid).version
    sweep(at(s, "2026-06-03"))  # overdue: flagged
    flagged = state(s, cid)
    assert flagged.flagged and flagged.version == seen + 1
    with reading(s) as session:
        flags = [audit.payload_of(e) for e in audit.case_events(session, cid) if e.action == "escalate"]
        assert [p.get("version") for p in flags if p.get("flagged")] == [seen + 1]
        assert case_problems(session) == []
    with pytest.raises(Conflict):
        perform(cid, "extend", "a1", {"days": 5, "reason": "复杂"}, expected_version=seen, settings=at(s, "2026-06-03"))
    sweep(at(s, "2026-06-04"))  # already flagged: no second bump
    assert state(s, cid).version == seen + 1


def test_the_digest_names_the_next_obligation_and_counts_only_obligations_overdue(s):
    from workflow.notify.digest import daily_digest

    late = new_case(s, "2026-04-01")  # answer due 4/30
    fresh = new_case(s, "2026-05-06")  # may ask for a correction until 5/14 (an option); answer due 6/2
    for cid in (late, fresh):
        act(s, cid, "2026-05-07", "assign", "r1", handler="h1")
    daily_digest(at(s, "2026-05-20", hour=8))
    with reading(s) as session:
        mine = select(Notification).where(Notification.user_name == "h1", Notification.kind == "digest")
        (note,) = session.exec(mine)
    assert "在办案件 2 件，其中逾期 1 件" in note.body
    assert f"{state(s, fresh).number}：答复期限 2026-06-02，剩余9个工作日" in note.body
    assert f"{state(s, late).number}：答复期限 2026-04-30，已逾期" in note.body
    assert "补正告知" not in note.body
