"""No automatic lapse on a provisional date (ogi-rules §1): the handler is asked to confirm, once."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from workflow.admin.calendar import import_arrangement
from workflow.calendar import parse_arrangement
from workflow.db import reading
from workflow.errors import Refused
from workflow.ledger import audit
from workflow.models import Case, Escalation, Notification
from workflow.sweep.cases import sweep

OFFICIAL_2027 = 'year: 2027\nsource: 测试用2027年放假安排\nholidays: ["2027-01-01..2027-01-03"]\nworkdays: []\n'


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _case(settings, cid):
    with reading(settings) as session:
        return session.get(Case, cid)


def _holds(settings):
    with reading(settings) as session:
        rows = session.exec(select(Escalation).where(Escalation.level == "confirm").order_by(Escalation.id))
        return [(e.case_id, e.deadline, e.ref, e.due_on.isoformat()) for e in rows]


def _notes(settings):
    with reading(settings) as session:
        rows = session.exec(select(Notification).where(Notification.kind == "provisional_lapse"))
        return [(n.user_name, n.title, n.body) for n in rows]


def _correction_into_2027(settings) -> int:
    cid = new_case(settings, "2026-12-14")
    act(settings, cid, "2026-12-15", "start_review", "h1")
    # 15 working days from 12/15: 12/16–31 give 12, 1/1 is New Year's Day, 1/4–6 → due 2027-01-06
    act(settings, cid, "2026-12-15", "request_correction", "h1", items="请写明年份", period_days="15")
    assert _case(settings, cid).correction_reply_due.isoformat() == "2027-01-06"
    return cid


def test_sweep_asks_the_handler_once_instead_of_lapsing_on_a_provisional_date(s):
    cid = _correction_into_2027(s)
    report = sweep(at(s, "2027-01-07"))
    number = _case(s, cid).number
    assert report.lapses == [] and report.holds == [(number, "lapse_correction")]
    assert _case(s, cid).state == "awaiting_correction"
    assert _holds(s) == [(cid, "correction_reply", 0, "2027-01-06")]
    [(user, title, body)] = _notes(s)
    assert user == "h1" and "待承办人确认" in title
    assert "2027年的放假安排" in body and "calendar.provisional_no_auto_lapse" in body
    # Exactly once: later sweeps neither lapse nor ask again.
    for day in ("2027-01-08", "2027-01-11"):
        report = sweep(at(s, day))
        assert (report.lapses, report.holds) == ([], [])
    assert len(_holds(s)) == 1 and len(_notes(s)) == 1
    with reading(s) as session:
        escalations = [audit.payload_of(e) for e in audit.case_events(session, cid) if e.action == "escalate"]
        holds = [p for p in escalations if p["level"] == "confirm"]
        assert [(p["rule"], p["lapse"], p["due_on"]) for p in holds] == [
            ("calendar.provisional_no_auto_lapse", "lapse_correction", "2027-01-06")
        ]
        assert audit.verify(session).intact


def test_the_guard_refuses_system_and_the_handler_lapses_by_hand(s):
    cid = _correction_into_2027(s)
    with pytest.raises(Refused) as refused:
        act(s, cid, "2027-01-07", "lapse_correction", "system")
    assert refused.value.rule == "calendar.provisional_no_auto_lapse"
    assert "须由承办人核实后办理" in refused.value.message
    outcome = act(s, cid, "2027-01-07", "lapse_correction", "h1", note="已核实，申请人逾期未补正")
    assert outcome.to_state == "deemed_abandoned"
    with reading(s) as session:
        last = audit.case_events(session, cid)[-1]
        assert (last.actor, last.action) == ("h1", "lapse_correction")
        assert audit.payload_of(last)["provisional_years_confirmed"] == [2027]


def test_once_the_official_year_is_imported_the_sweep_lapses(s):
    cid = _correction_into_2027(s)
    assert sweep(at(s, "2027-01-07")).holds  # asked while 2027 was provisional
    import_arrangement(at(s, "2027-01-07"), parse_arrangement(OFFICIAL_2027, "yaml"), actor="m1")
    report = sweep(at(s, "2027-01-08"))
    assert report.lapses == [(_case(s, cid).number, "lapse_correction")]
    assert _case(s, cid).state == "deemed_abandoned"


def test_a_period_inside_an_official_year_still_lapses_automatically(s):
    cid = new_case(s, "2026-11-02")
    act(s, cid, "2026-11-03", "request_correction", "h1", items="请写明年份", period_days="5")  # due 11/10
    report = sweep(at(s, "2026-11-11"))
    assert [a for _, a in report.lapses] == ["lapse_correction"] and report.holds == []


def test_fee_and_third_party_periods_on_provisional_dates_are_held_too(s):
    fee = new_case(s, "2026-12-14")
    consult = new_case(s, "2026-12-14")
    act(s, fee, "2026-12-15", "start_review", "h1")
    act(s, fee, "2026-12-15", "issue_fee_notice", "h1", method="per_page", pages="50")  # due 2027-01-13
    act(s, consult, "2026-12-15", "start_review", "h2")
    act(s, consult, "2026-12-15", "consult", "h2", party="third_party", addressee="某公司",
        delivered_on="2026-12-15")  # fmt: skip  # due 2027-01-06
    report = sweep(at(s, "2027-01-14"))
    assert report.lapses == []
    assert sorted(a for _, a in report.holds) == ["lapse_consultation", "lapse_fee"]
    assert (_case(s, fee).state, _case(s, consult).state) == ("awaiting_fee", "consulting")
    assert sorted(h[1:] for h in _holds(s)) == [("consultation", 1, "2027-01-06"), ("fee", 0, "2027-01-13")]
    assert sorted(user for user, _, _ in _notes(s)) == ["h1", "h2"]
    assert sweep(at(s, "2027-01-15")).holds == []
