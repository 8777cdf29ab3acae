"""The statutory clock against hand-counted dates of the 2026 official calendar (ogi-rules.md §1).

2026 holidays: 1/1–3; 2/15–23; 4/4–6; 5/1–5; 6/19–21; 9/25–27; 10/1–7.
2026 make-up working days (调休上班): Sun 1/4, Sat 2/14, Sat 2/28, Sat 5/9, Sun 9/20, Sat 10/10.
Day 1 of a period is the first working day after the triggering day. In the counting comments,
"Mar 3-6 (1-4)" means those working days are counted as days 1 to 4.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from states import DEFAULT_RULEBOOK, RuleBook
from workflow.calendar import WorkCalendar
from workflow.clock.deadlines import (
    ClockFacts,
    Deadlines,
    Pause,
    add_counted_workdays,
    compute,
    facts_from_events,
    merge_pauses,
)
from workflow.clock.explain import explain

D = date.fromisoformat
ONE_DAY = timedelta(days=1)
CAL = WorkCalendar()

Event = tuple[str, Mapping[str, Any], date]


def run(*events: Event, rb: RuleBook = DEFAULT_RULEBOOK) -> tuple[ClockFacts, Deadlines]:
    facts = facts_from_events(events)
    return facts, compute(facts, CAL, rb)


def reg(received: str, day: str | None = None) -> Event:
    return ("register", {"received_on": received}, D(day or received))


def span(first: str, last: str) -> set[date]:
    out, d = set(), D(first)
    while d <= D(last):
        out.add(d)
        d += ONE_DAY
    return out


HOLIDAYS_2026 = (
    span("2026-01-01", "2026-01-03")
    | span("2026-02-15", "2026-02-23")
    | span("2026-04-04", "2026-04-06")
    | span("2026-05-01", "2026-05-05")
    | span("2026-06-19", "2026-06-21")
    | span("2026-09-25", "2026-09-27")
    | span("2026-10-01", "2026-10-07")
)
MAKEUP_2026 = {D(x) for x in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")}


def test_calendar_2026_matches_the_official_notice() -> None:
    """The baseline every hand count below relies on."""
    for d in span("2026-01-01", "2026-12-31"):
        expected = d in MAKEUP_2026 or (d.weekday() < 5 and d not in HOLIDAYS_2026)
        assert CAL.is_workday(d) is expected, d


# ---------------------------------------------------------------------------
# Answer due (Art. 33: 20 WD) and correction notice due (Art. 30: 7 WD)

ANSWER_DUE = [
    # received, answer due, correction notice due
    # Mon 3/2: Mar 3-6 (1-4), 9-13 (5-9), 16-20 (10-14), 23-27 (15-19), Mon 3/30 (20).
    #          notice: Mar 3-6 (1-4), 9, 10, 11 (5-7).
    ("2026-03-02", "2026-03-30", "2026-03-11"),
    # Fri 2/6: Feb 9-13 (1-5), Sat 2/14 make-up (6), 2/15-23 holiday, Feb 24-27 (7-10),
    #          Sat 2/28 make-up (11), Mar 2-6 (12-16), Mar 9-12 (17-20).  notice: 2/24 is day 7.
    ("2026-02-06", "2026-03-12", "2026-02-24"),
    # Fri 9/18: Sun 9/20 make-up (1), Sep 21-24 (2-5), 9/25-27 holiday, Sep 28-30 (6-8), 10/1-7 holiday,
    #           Oct 8, 9 (9, 10), Sat 10/10 make-up (11), Oct 12-16 (12-16), Oct 19-22 (17-20).
    #           notice: 9/20, 21, 22, 23, 24 (1-5), 28, 29 (6, 7).
    ("2026-09-18", "2026-10-22", "2026-09-29"),
    # Wed 4/29: Apr 30 (1), 5/1-5 holiday, May 6-8 (2-4), Sat 5/9 make-up (5), May 11-15 (6-10),
    #           18-22 (11-15), 25-29 (16-20).  notice: 4/30, 5/6, 5/7, 5/8, 5/9, 5/11, 5/12.
    ("2026-04-29", "2026-05-29", "2026-05-12"),
    # Wed 4/1: Apr 2, 3 (1, 2), 4/4-6 holiday, Apr 7-10 (3-6), 13-17 (7-11), 20-24 (12-16), 27-30 (17-20).
    #          notice: 4/13 is day 7.
    ("2026-04-01", "2026-04-30", "2026-04-13"),
    # Mon 6/15: Jun 16-18 (1-3), 6/19-21 holiday, Jun 22-26 (4-8), 29, 30 (9, 10), Jul 1-3 (11-13),
    #           Jul 6-10 (14-18), 13, 14 (19, 20).  notice: 6/22, 23, 24, 25 are days 4-7.
    ("2026-06-15", "2026-07-14", "2026-06-25"),
    # Tue 2025-12-30: Dec 31 (1), 1/1-3 holiday, Sun 1/4 make-up (2),
    #           Jan 5-9 (3-7), 12-16 (8-12), 19-23 (13-17), 26-28 (18-20).  notice: 1/9 is day 7.
    ("2025-12-30", "2026-01-28", "2026-01-09"),
    # received on a holiday, Sat 10/3: Oct 8, 9 (1, 2), Sat 10/10 make-up (3), Oct 12-16 (4-8),
    #           19-23 (9-13), 26-30 (14-18), Nov 2, 3 (19, 20).  notice: 10/8, 9, 10, 12, 13, 14, 15.
    ("2026-10-03", "2026-11-03", "2026-10-15"),
    # received on the make-up Sunday 9/20: Sep 21-24 (1-4), Sep 28-30 (5-7), Oct 8-10 (8-10),
    #           Oct 12-16 (11-15), 19-23 (16-20).  notice: 9/30 is day 7.
    ("2026-09-20", "2026-10-23", "2026-09-30"),
]


@pytest.mark.parametrize(("received", "answer_due", "notice_due"), ANSWER_DUE)
def test_answer_and_correction_notice_due(received: str, answer_due: str, notice_due: str) -> None:
    _, out = run(reg(received))
    assert out.answer_due == D(answer_due)
    assert out.correction_notice_due == D(notice_due)
    assert out.answer_start == D(received)
    assert out.answer_days == 20
    assert out.clock_state == "running"
    assert out.pauses == []
    assert out.provisional is False
    assert out.fee_due is None
    assert out.correction_reply_due is None


def test_day_one_is_the_first_working_day_after_receipt() -> None:
    # Fri 9/18: Sat 9/19 is no working day, Sun 9/20 is a make-up working day: day 1.
    assert CAL.add_workdays(D("2026-09-18"), 1) == D("2026-09-20")
    # A pause that covers only Sun 9/20 moves the answer due by exactly one working day: 10/22 -> 10/23.
    _, out = run(
        reg("2026-09-18"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-09-20"}, D("2026-09-20")),
        ("record_reply", {"consultation": 1, "received_on": "2026-09-20", "opinion": "consent"}, D("2026-09-20")),
    )
    assert out.answer_due == D("2026-10-23")


def test_registration_later_than_receipt_uses_the_receipt_date() -> None:
    _, out = run(reg("2026-03-02", day="2026-03-05"))
    assert out.answer_due == D("2026-03-30")


def test_register_without_received_on_uses_the_event_day() -> None:
    _, out = run(("register", {}, D("2026-03-02")))
    assert out.answer_due == D("2026-03-30")


def test_payload_dates_may_be_date_objects() -> None:
    _, out = run(("register", {"received_on": D("2026-02-06")}, D("2026-02-09")))
    assert out.answer_due == D("2026-03-12")


def test_not_started_without_registration() -> None:
    out = compute(ClockFacts(), CAL, DEFAULT_RULEBOOK)
    assert out.clock_state == "not_started"
    assert out.answer_due is None
    assert explain(ClockFacts(), out, CAL, DEFAULT_RULEBOOK) == ["尚未收到申请，答复期限未起算。"]


def test_rulebook_answer_days_are_honoured() -> None:
    # Mon 3/2 with 15 WD: Mar 3-6 (1-4), 9-13 (5-9), 16-20 (10-14), Mon 3/23 (15).
    _, out = run(reg("2026-03-02"), rb=replace(DEFAULT_RULEBOOK, answer_days=15))
    assert out.answer_due == D("2026-03-23")


# ---------------------------------------------------------------------------
# Correction (Art. 30)

CORRECTION_REPLY = [
    # payload, expected correction reply due
    # delivered Fri 3/6, 10 WD: Mar 9-13 (1-5), 16-20 (6-10).
    ({"items": "x", "period_days": 10, "sent_on": "2026-03-04", "delivered_on": "2026-03-06"}, "2026-03-20"),
    # the same with date objects
    ({"items": "x", "period_days": 10, "sent_on": D("2026-03-04"), "delivered_on": D("2026-03-06")}, "2026-03-20"),
    # no delivered_on: from sent_on Wed 3/4, 5 WD: Mar 5, 6, 9, 10, 11.
    ({"items": "x", "period_days": 5, "sent_on": "2026-03-04"}, "2026-03-11"),
    # no period_days: the rulebook default 15 from Fri 3/6: Mar 9-13, 16-20, 23-27.
    ({"items": "x", "sent_on": "2026-03-04", "delivered_on": "2026-03-06"}, "2026-03-27"),
    # delivered Thu 9/24, 7 WD: 9/25-27 holiday, Sep 28-30 (1-3), 10/1-7 holiday, Oct 8, 9 (4, 5),
    # Sat 10/10 make-up (6), Mon 10/12 (7).
    ({"items": "x", "period_days": 7, "sent_on": "2026-09-24", "delivered_on": "2026-09-24"}, "2026-10-12"),
]


@pytest.mark.parametrize(("payload", "reply_due"), CORRECTION_REPLY)
def test_correction_reply_due(payload: dict[str, Any], reply_due: str) -> None:
    received = "2026-03-02" if str(payload["sent_on"]).startswith("2026-03") else "2026-09-21"
    _, out = run(reg(received), ("request_correction", payload, D(str(payload["sent_on"]))))
    assert out.correction_reply_due == D(reply_due)
    assert out.answer_due is None
    assert out.answer_start is None
    assert out.clock_state == "awaiting_correction"
    assert out.correction_notice_due is None  # the notice has been sent


def test_request_correction_without_dates_uses_the_event_day() -> None:
    # sent = delivered = Wed 3/4 (event day); 15 WD: Mar 5, 6 (1, 2), 9-13 (3-7), 16-20 (8-12), 23-25 (13-15).
    _, out = run(reg("2026-03-02"), ("request_correction", {"items": "x"}, D("2026-03-04")))
    assert out.correction_reply_due == D("2026-03-25")


def test_receive_correction_restarts_the_period() -> None:
    # corrected application received Mon 3/16: Mar 17-20 (1-4), 23-27 (5-9), Mar 30 - Apr 3 (10-14),
    # 4/4-6 holiday, Apr 7-10 (15-18), Apr 13, 14 (19, 20). The days counted before (3/3, 3/4) are gone.
    facts, out = run(
        reg("2026-03-02"),
        ("request_correction", {"items": "x", "period_days": 10, "sent_on": "2026-03-04"}, D("2026-03-04")),
        ("receive_correction", {"received_on": "2026-03-16"}, D("2026-03-17")),
    )
    assert facts.restarted is True
    assert out.answer_start == D("2026-03-16")
    assert out.answer_due == D("2026-04-14")
    assert out.clock_state == "running"
    assert out.correction_notice_due is None
    assert out.correction_reply_due is None


def test_receive_correction_without_date_uses_the_event_day() -> None:
    _, out = run(
        reg("2026-03-02"),
        ("request_correction", {"items": "x"}, D("2026-03-04")),
        ("receive_correction", {}, D("2026-03-16")),
    )
    assert out.answer_due == D("2026-04-14")


def test_lapse_correction_stops_the_clock() -> None:
    _, out = run(
        reg("2026-03-02"),
        ("request_correction", {"items": "x", "period_days": 10, "sent_on": "2026-03-04"}, D("2026-03-04")),
        ("lapse_correction", {}, D("2026-03-19")),
    )
    assert out.clock_state == "stopped"
    assert out.answer_due is None
    assert out.correction_reply_due is None


# ---------------------------------------------------------------------------
# Consultations (Art. 32-34): paused from sent_on through the reply day, both inclusive

UNPAUSED_DUE = D("2026-03-30")  # received Mon 3/2


@pytest.mark.parametrize("party", ["third_party", "other_agency"])
def test_consultation_pauses_from_sent_through_reply(party: str) -> None:
    # sent Tue 3/10, reply Mon 3/16: paused working days 3/10, 11, 12, 13, 16 = 5.
    # Counted: Mar 3-6 (1-4), 9 (5), [10-16 paused], Mar 17-20 (6-9), 23-27 (10-14),
    # Mar 30 - Apr 3 (15-19), 4/4-6 holiday, Tue 4/7 (20): 3/30 moved by exactly 5 working days.
    facts, out = run(
        reg("2026-03-02"),
        ("consult", {"party": party, "addressee": "某公司", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-16", "opinion": "consent"}, D("2026-03-17")),
    )
    assert CAL.workdays_between(D("2026-03-09"), D("2026-03-16")) == 5
    assert CAL.add_workdays(UNPAUSED_DUE, 5) == D("2026-04-07")
    assert out.answer_due == D("2026-04-07")
    assert out.clock_state == "running"
    assert out.pauses == [Pause(D("2026-03-10"), D("2026-03-16"), "征求意见1（某公司）", False)]
    c = facts.consultations[0]
    assert (c.closed_on, c.closed_by, c.opinion) == (D("2026-03-16"), "reply", "consent")
    # reply due: 15 WD from delivery (= sending, 3/10): Mar 11-13 (1-3), 16-20 (4-8), 23-27 (9-13), 30, 31.
    assert c.reply_due == D("2026-03-31")
    assert out.consultation_due() is None  # nothing open


def test_consultation_over_a_weekend_only_does_not_move_the_due_date() -> None:
    # Sat 3/14 - Sun 3/15: no working day paused.
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-14"}, D("2026-03-14")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-15", "opinion": "consent"}, D("2026-03-16")),
    )
    assert out.answer_due == UNPAUSED_DUE


def test_consultation_reply_due_counts_from_delivery() -> None:
    # delivered Thu 3/12, 15 WD: Mar 13 (1), 16-20 (2-6), 23-27 (7-11), Mar 30 - Apr 2 (12-15).
    facts, out = run(
        reg("2026-03-02"),
        (
            "consult",
            {"party": "other_agency", "addressee": "市财政局", "sent_on": "2026-03-10", "delivered_on": "2026-03-12"},
            D("2026-03-10"),
        ),
    )
    assert facts.consultations[0].reply_due == D("2026-04-02")
    assert out.consultation_due() == D("2026-04-02")


def test_internal_department_never_pauses() -> None:
    # 协办 inside the office: answer due unchanged; internal due 5 WD from sending Tue 3/10: Mar 11, 12, 13, 16, 17.
    facts, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "internal_department", "addressee": "法规科", "sent_on": "2026-03-10"}, D("2026-03-10")),
    )
    assert out.answer_due == UNPAUSED_DUE
    assert out.pauses == []
    assert out.clock_state == "running"
    assert facts.consultations[0].reply_due == D("2026-03-17")
    assert out.consultation_due() == D("2026-03-17")
    # ... nor after its reply
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "internal_department", "addressee": "法规科", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-20", "opinion": "consent"}, D("2026-03-20")),
    )
    assert out.answer_due == UNPAUSED_DUE


def test_internal_department_due_days() -> None:
    # due_days 3 from Tue 3/10: Mar 11, 12, 13.
    facts, _ = run(
        reg("2026-03-02"),
        (
            "consult",
            {"party": "internal_department", "addressee": "法规科", "sent_on": "2026-03-10", "due_days": 3},
            D("2026-03-10"),
        ),
    )
    assert facts.consultations[0].reply_due == D("2026-03-13")


def _two_consultations(a: tuple[str, str], b: tuple[str, str]) -> Deadlines:
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": a[0]}, D(a[0])),
        ("consult", {"party": "other_agency", "addressee": "乙", "sent_on": b[0]}, D(b[0])),
        ("record_reply", {"consultation": 1, "received_on": a[1], "opinion": "consent"}, D(a[1])),
        ("record_reply", {"consultation": 2, "received_on": b[1], "opinion": "consent"}, D(b[1])),
    )
    return out


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("2026-03-10", "2026-03-13"), ("2026-03-12", "2026-03-17")),  # overlapping
        (("2026-03-10", "2026-03-17"), ("2026-03-11", "2026-03-12")),  # nested
        (("2026-03-10", "2026-03-12"), ("2026-03-13", "2026-03-17")),  # touching
    ],
)
def test_overlapping_consultations_pause_once(a: tuple[str, str], b: tuple[str, str]) -> None:
    # Union 3/10-3/17: working days 10, 11, 12, 13, 16, 17 = 6 (counted twice it would be more).
    # Counted: Mar 3-6, 9 (1-5), Mar 18-20 (6-8), 23-27 (9-13), Mar 30 - Apr 3 (14-18), 4/4-6 holiday, Apr 7, 8.
    out = _two_consultations(a, b)
    assert merge_pauses(out.pauses) == [(D("2026-03-10"), D("2026-03-17"))]
    assert out.answer_due == D("2026-04-08")


def test_separate_consultations_both_pause() -> None:
    # 3/10 (1 WD) and 3/17-3/18 (2 WD): 3 WD. Mar 30 + 3 WD: Mar 31, Apr 1, Apr 2.
    out = _two_consultations(("2026-03-10", "2026-03-10"), ("2026-03-17", "2026-03-18"))
    assert out.answer_due == D("2026-04-02")


def test_open_consultation_is_projected_to_its_reply_due() -> None:
    # sent Tue 3/10, delivered Thu 3/12 -> reply due Thu 4/2 (see above). Paused 3/10 - 4/2.
    # Counted: Mar 3-6, 9 (1-5), Fri 4/3 (6), 4/4-6 holiday, Apr 7-10 (7-10), 13-17 (11-15), 20-24 (16-20).
    _, out = run(
        reg("2026-03-02"),
        (
            "consult",
            {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10", "delivered_on": "2026-03-12"},
            D("2026-03-10"),
        ),
    )
    assert out.clock_state == "paused"
    assert out.pauses == [Pause(D("2026-03-10"), D("2026-04-02"), "征求意见1（甲）", True)]
    assert out.answer_due == D("2026-04-24")


def test_one_open_one_closed_consultation_still_paused() -> None:
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("consult", {"party": "other_agency", "addressee": "乙", "sent_on": "2026-03-11"}, D("2026-03-11")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-12", "opinion": "consent"}, D("2026-03-12")),
    )
    assert out.clock_state == "paused"
    # #2 reply due: 15 WD from Wed 3/11: Mar 12, 13 (1, 2), 16-20 (3-7), 23-27 (8-12), Mar 30, 31, Apr 1 (13-15).
    assert out.consultation_due() == D("2026-04-01")
    # Paused 3/10 - 4/1. Counted: Mar 3-6, 9 (1-5), Apr 2, 3 (6, 7), Apr 7-10 (8-11), 13-17 (12-16), 20-23 (17-20).
    assert out.answer_due == D("2026-04-23")


CONSULT_DELIVERED_12 = (
    "consult",
    {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10", "delivered_on": "2026-03-12"},
    D("2026-03-10"),
)


def test_lapse_consultation_ends_the_pause_on_lapsed_on() -> None:
    # Reply due Thu 4/2; the lapse is recorded late, Wed 4/8, with lapsed_on 4/2: paused 3/10 - 4/2 -> 4/24.
    facts, out = run(
        reg("2026-03-02"),
        CONSULT_DELIVERED_12,
        ("lapse_consultation", {"consultation": 1, "lapsed_on": "2026-04-02"}, D("2026-04-08")),
    )
    c = facts.consultations[0]
    assert (c.closed_on, c.closed_by, c.opinion) == (D("2026-04-02"), "lapse", None)
    assert out.clock_state == "running"
    assert out.pauses == [Pause(D("2026-03-10"), D("2026-04-02"), "征求意见1（甲）", False)]
    assert out.answer_due == D("2026-04-24")


def test_lapse_consultation_without_lapsed_on_uses_the_event_day() -> None:
    # Paused 3/10 - 4/8. Counted: Mar 3-6, 9 (1-5), Apr 9, 10 (6, 7), 13-17 (8-12), 20-24 (13-17), 27-29 (18-20).
    _, out = run(reg("2026-03-02"), CONSULT_DELIVERED_12, ("lapse_consultation", {"consultation": 1}, D("2026-04-08")))
    assert out.answer_due == D("2026-04-29")


# ---------------------------------------------------------------------------
# Fees (国办函〔2020〕109号)

FEE_NOTICE = (
    "issue_fee_notice",
    {"method": "per_page", "pages": 120, "sent_on": "2026-03-10", "delivered_on": "2026-03-11"},
    D("2026-03-10"),
)


def test_unpaid_fee_notice_pauses_until_fee_due() -> None:
    # fee due: 20 WD from delivery Wed 3/11: Mar 12, 13 (1, 2), 16-20 (3-7), 23-27 (8-12),
    # Mar 30 - Apr 3 (13-17), 4/4-6 holiday, Apr 7-9 (18-20).
    # Answer: paused 3/10 - 4/9. Counted Mar 3-6, 9 (1-5), Apr 10 (6), 13-17 (7-11), 20-24 (12-16), 27-30 (17-20).
    _, out = run(reg("2026-03-02"), FEE_NOTICE)
    assert out.fee_due == D("2026-04-09")
    assert out.clock_state == "paused"
    assert out.pauses == [Pause(D("2026-03-10"), D("2026-04-09"), "收费通知待缴费", True)]
    assert out.answer_due == D("2026-04-30")


def test_payment_ends_the_fee_pause() -> None:
    # paid Wed 3/18: paused 3/10 - 3/18 = 7 WD (10, 11, 12, 13, 16, 17, 18).
    # 3/30 + 7 WD: Mar 31, Apr 1, 2, 3, (4/4-6 holiday) 7, 8, 9.
    _, out = run(reg("2026-03-02"), FEE_NOTICE, ("record_payment", {"paid_on": "2026-03-18"}, D("2026-03-19")))
    assert out.fee_due is None
    assert out.clock_state == "running"
    assert out.answer_due == D("2026-04-09")


def test_fee_notice_without_delivered_on_counts_from_sending() -> None:
    # 20 WD from Tue 3/10: Mar 11-13 (1-3), 16-20 (4-8), 23-27 (9-13), Mar 30 - Apr 3 (14-18), Apr 7, 8 (19, 20).
    _, out = run(reg("2026-03-02"), ("issue_fee_notice", {"method": "per_count", "count": 12}, D("2026-03-10")))
    assert out.fee_due == D("2026-04-08")


def test_lapse_fee_stops_the_clock() -> None:
    _, out = run(reg("2026-03-02"), FEE_NOTICE, ("lapse_fee", {}, D("2026-04-10")))
    assert out.clock_state == "stopped"
    assert out.fee_due is None


def test_fee_and_consultation_overlap_count_once() -> None:
    # consultation 3/10 - 3/13 and fee 3/12 - 3/17: union 3/10 - 3/17 = 6 WD -> 4/8 (as the overlapping consultations).
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-13", "opinion": "consent"}, D("2026-03-13")),
        ("issue_fee_notice", {"method": "per_page", "pages": 50, "sent_on": "2026-03-12"}, D("2026-03-12")),
        ("record_payment", {"paid_on": "2026-03-17"}, D("2026-03-17")),
    )
    assert out.answer_due == D("2026-04-08")


# ---------------------------------------------------------------------------
# Extension (Art. 33(2)) and stopping


@pytest.mark.parametrize(
    ("days", "due"),
    [
        # 3/30 + 10 WD: Mar 31, Apr 1-3 (1-4), 4/4-6 holiday, Apr 7-10 (5-8), 13, 14 (9, 10).
        (10, "2026-04-14"),
        # 3/30 + 20 WD: Mar 31, Apr 1-3 (1-4), Apr 7-10 (5-8), 13-17 (9-13), 20-24 (14-18), 27, 28 (19, 20).
        (20, "2026-04-28"),
        # 3/30 + 1 WD.
        (1, "2026-03-31"),
    ],
)
def test_extension_adds_exactly_its_days(days: int, due: str) -> None:
    _, out = run(reg("2026-03-02"), ("extend", {"days": days, "reason": "x"}, D("2026-03-20")))
    assert out.answer_days == 20 + days
    assert out.answer_due == D(due)
    assert out.clock_state == "running"


def test_extension_and_pause_together() -> None:
    # consultation pause 3/10-3/16 (5 WD) gives 4/7; + 10 WD: Apr 8-10 (1-3), 13-17 (4-8), 20, 21 (9, 10).
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-16", "opinion": "consent"}, D("2026-03-16")),
        ("extend", {"days": 10, "reason": "x"}, D("2026-03-20")),
    )
    assert out.answer_due == D("2026-04-21")


@pytest.mark.parametrize("last", ["approve", "withdraw"])
def test_answer_or_withdrawal_stops_the_clock(last: str) -> None:
    facts, out = run(reg("2026-03-02"), (last, {}, D("2026-03-20")))
    assert out.clock_state == "stopped"
    assert out.answer_due == UNPAUSED_DUE  # still shown: was the answer on time?
    assert facts.stopped_on == D("2026-03-20")
    assert facts.answered_on == (D("2026-03-20") if last == "approve" else None)
    assert out.correction_notice_due is None
    assert out.consultation_due() is None


def test_stopped_clock_has_no_consultation_due() -> None:
    _, out = run(reg("2026-03-02"), CONSULT_DELIVERED_12, ("withdraw", {"reason": "x"}, D("2026-03-13")))
    assert out.clock_state == "stopped"
    assert out.consultation_due() is None


# ---------------------------------------------------------------------------
# Provisional years (no official 2027 arrangement on 2026-11-23)


@pytest.mark.parametrize(
    ("received", "extension", "due", "years"),
    [
        # Fri 12/4: Dec 7-11 (1-5), 14-18 (6-10), 21-25 (11-15), 28-31 (16-19), 1/1/2027 holiday,
        # Jan 2, 3 weekend, Mon 2027-01-04 (20).
        ("2026-12-04", 0, "2027-01-04", [2027]),
        # Thu 12/3: Dec 4 (1), 7-11 (2-6), 14-18 (7-11), 21-25 (12-16), 28-31 (17-20).
        ("2026-12-03", 0, "2026-12-31", []),
        # Mon 11/2: Nov 3-6 (1-4), 9-13 (5-9), 16-20 (10-14), 23-27 (15-19), Mon 11/30 (20).
        ("2026-11-02", 0, "2026-11-30", []),
        # Fri 11/6 + 20: Nov 9-13 (1-5), 16-20 (6-10), 23-27 (11-15), Nov 30 - Dec 4 (16-20), Dec 7-11 (21-25),
        # 14-18 (26-30), 21-25 (31-35), 28-31 (36-39), 1/1 holiday, Mon 2027-01-04 (40).
        ("2026-11-06", 20, "2027-01-04", [2027]),
        # Thu 11/5 + 20: one working day earlier, Thu 12/31.
        ("2026-11-05", 20, "2026-12-31", []),
    ],
)
def test_provisional_flag(received: str, extension: int, due: str, years: list[int]) -> None:
    events: list[Event] = [reg(received)]
    if extension:
        events.append(("extend", {"days": extension, "reason": "x"}, D(received)))
    _, out = run(*events)
    assert out.answer_due == D(due)
    assert out.provisional_years == years
    assert out.provisional is bool(years)


def test_correction_notice_due_of_a_provisional_case() -> None:
    # Fri 12/4: Dec 7-11 (1-5), 14, 15 (6, 7).
    _, out = run(reg("2026-12-04"))
    assert out.correction_notice_due == D("2026-12-15")


# ---------------------------------------------------------------------------
# The rulebook's pause conventions


@pytest.mark.parametrize(
    ("rulebook", "due"),
    [
        # pause 3/11-3/16 = 4 WD: 3/30 + 4 = Mar 31, Apr 1, 2, 3.
        (replace(DEFAULT_RULEBOOK, pause_includes_send_day=False), "2026-04-03"),
        # pause 3/10-3/13 = 4 WD: same.
        (replace(DEFAULT_RULEBOOK, pause_includes_end_day=False), "2026-04-03"),
    ],
)
def test_pause_conventions_are_rulebook_settings(rulebook: RuleBook, due: str) -> None:
    _, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-16", "opinion": "consent"}, D("2026-03-16")),
        rb=rulebook,
    )
    assert out.answer_due == D(due)


def test_rulebook_periods_are_honoured() -> None:
    rb = replace(DEFAULT_RULEBOOK, consultation_reply_days=5, fee_payment_days=5, correction_notice_days=3)
    facts, out = run(
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "甲", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("issue_fee_notice", {"method": "per_page", "pages": 50, "sent_on": "2026-03-10"}, D("2026-03-10")),
        rb=rb,
    )
    assert facts.consultations[0].reply_due == D("2026-03-17")  # Mar 11, 12, 13, 16, 17
    assert out.fee_due == D("2026-03-17")
    _, out = run(reg("2026-03-02"), rb=rb)
    assert out.correction_notice_due == D("2026-03-05")  # Mar 3, 4, 5


# ---------------------------------------------------------------------------
# add_counted_workdays and merge_pauses


def test_merge_pauses() -> None:
    p = [
        Pause(D("2026-03-20"), D("2026-03-25"), "c", False),
        Pause(D("2026-03-10"), D("2026-03-12"), "a", False),
        Pause(D("2026-03-13"), D("2026-03-14"), "b", False),  # touches a
        Pause(D("2026-03-11"), D("2026-03-11"), "d", False),  # inside a
        Pause(D("2026-03-27"), D("2026-03-28"), "e", False),  # a gap of one day (3/26) after c
    ]
    assert merge_pauses(p) == [
        (D("2026-03-10"), D("2026-03-14")),
        (D("2026-03-20"), D("2026-03-25")),
        (D("2026-03-27"), D("2026-03-28")),
    ]
    assert merge_pauses([]) == []


def naive_counted(start: date, n: int, pauses: Sequence[Pause]) -> date:
    """The n-th working day after start that is in no pause, walking one day at a time."""
    d, counted = start, 0
    while counted < n:
        d += ONE_DAY
        if CAL.is_workday(d) and not any(p.start <= d <= p.end for p in pauses):
            counted += 1
    return d


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31)),
    n=st.integers(min_value=1, max_value=60),
    raw=st.lists(
        st.tuples(st.integers(min_value=-15, max_value=120), st.integers(min_value=0, max_value=40)), max_size=6
    ),
)
def test_add_counted_workdays_matches_a_day_by_day_count(start: date, n: int, raw: list[tuple[int, int]]) -> None:
    pauses = [
        Pause(start + timedelta(days=off), start + timedelta(days=off + length), "p", False) for off, length in raw
    ]
    assert add_counted_workdays(CAL, start, n, merge_pauses(pauses)) == naive_counted(start, n, pauses)


@pytest.mark.parametrize(
    ("spans", "n", "expected"),
    [
        ([], 20, "2026-03-30"),
        ([("2026-03-10", "2026-03-16")], 20, "2026-04-07"),
        ([("2026-02-20", "2026-03-04")], 20, "2026-04-01"),  # began before start: Mar 5, 6, 9-13, ... 3/30, 3/31, 4/1
        ([("2026-04-01", "2026-04-10")], 20, "2026-03-30"),  # after the due date: no effect
        ([("2026-03-30", "2026-03-30")], 20, "2026-03-31"),  # the due day itself paused
    ],
)
def test_add_counted_workdays_examples(spans: list[tuple[str, str]], n: int, expected: str) -> None:
    got = add_counted_workdays(CAL, D("2026-03-02"), n, [(D(a), D(b)) for a, b in spans])
    assert got == D(expected)


# ---------------------------------------------------------------------------
# explain()


def test_explain_walks_the_period() -> None:
    events: list[Event] = [
        reg("2026-03-02"),
        ("consult", {"party": "third_party", "addressee": "某公司", "sent_on": "2026-03-10"}, D("2026-03-10")),
        ("record_reply", {"consultation": 1, "received_on": "2026-03-16", "opinion": "consent"}, D("2026-03-16")),
    ]
    facts, out = run(*events)
    lines = explain(facts, out, CAL, DEFAULT_RULEBOOK)
    text = "\n".join(lines)
    assert lines[0].startswith("收到申请之日：2026-03-02（周一）")
    assert "起算：2026-03-02（周一）；第1个工作日：2026-03-03（周二）" in lines
    assert "中止：2026-03-10（周二）至2026-03-16（周一），征求意见1（某公司）" in lines
    assert lines[-1] == "结果：答复期限 2026-04-07（周二）"
    assert "期限：20个工作日 = 20个计数工作日" in lines
    assert "补正告知期限：2026-03-11（周三）" in text
    walk = [line for line in lines if line.startswith("  2026-")]
    assert walk[0].startswith("  2026-03-03") and walk[-1].startswith("  2026-04-07")
    assert len(walk) == (D("2026-04-07") - D("2026-03-02")).days
    assert walk[0].endswith("第1日")
    assert walk[-1].endswith("第20日")
    day = {line.split()[0]: line for line in walk}
    assert day["2026-03-10"].endswith("中止，不计")
    assert day["2026-03-16"].endswith("中止，不计")
    assert day["2026-03-17"].endswith("第6日")
    assert day["2026-04-04"].endswith("不计") and "法定节假日" in day["2026-04-04"]
    assert day["2026-03-14"].endswith("不计") and "周末" in day["2026-03-14"]


def test_explain_makeup_day_and_extension() -> None:
    facts, out = run(reg("2026-02-06"), ("extend", {"days": 5, "reason": "x"}, D("2026-02-10")))
    lines = explain(facts, out, CAL, DEFAULT_RULEBOOK)
    # 3/12 + 5 WD: Mar 13, 16, 17, 18, 19.
    assert lines[-1] == "结果：答复期限 2026-03-19（周四）"
    assert "期限：20个工作日 + 延期5个工作日（第三十三条第二款） = 25个计数工作日" in lines
    day = {line.split()[0]: line for line in lines if line.startswith("  2026-")}
    assert "调休上班" in day["2026-02-14"] and day["2026-02-14"].endswith("第6日")
    assert day["2026-02-24"].endswith("第7日")


def test_explain_provisional_and_answered() -> None:
    facts, out = run(reg("2026-12-04"), ("approve", {}, D("2026-12-21")))
    lines = explain(facts, out, CAL, DEFAULT_RULEBOOK)
    assert "结果：答复期限 2027-01-04（周一）" in lines[-2]
    assert "临时：2027年放假安排尚未公布" in lines[-2]
    assert lines[-1] == "已于2026-12-21（周一）答复，计时停止。"
    day = {line.split()[0]: line for line in lines if line.startswith("  20")}
    assert day["2027-01-01"].endswith("不计 临时")


def test_explain_awaiting_correction() -> None:
    facts, out = run(
        reg("2026-03-02"),
        (
            "request_correction",
            {"items": "x", "period_days": 10, "sent_on": "2026-03-04", "delivered_on": "2026-03-06"},
            D("2026-03-04"),
        ),
    )
    lines = explain(facts, out, CAL, DEFAULT_RULEBOOK)
    assert lines[-1] == "等待补正：答复期限自收到补正申请之日起重新计算（第三十条），现未起算。"
    assert any("补正期限10个工作日，至2026-03-20（周五）" in line for line in lines)
