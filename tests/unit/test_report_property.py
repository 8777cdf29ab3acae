"""Property: any set of case histories gives reports that reconcile, count each case at most once
in section 三, and carry forward exactly what the next year carries over."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from states import Ground, Outcome
from workflow.config import LOCAL_TZ
from workflow.reports.annual import compute_annual
from workflow.reports.facts import LedgerEvent, case_facts, year_end
from workflow.reports.layout import APPLICANT_COLUMNS, COLUMNS, RESULT_ROWS
from workflow.timeutil import utc_stamp

START = date(2024, 10, 1)
ENDINGS = ("approve", "lapse_correction", "lapse_fee", "withdraw", None)


def _stamp(day: date, hour: int) -> str:
    return utc_stamp(datetime.combine(day, time(hour), LOCAL_TZ))


@st.composite
def history(draw: st.DrawFn) -> list[LedgerEvent]:
    near_year_end = date(draw(st.sampled_from([2024, 2025, 2026])), 12, 31) + timedelta(days=draw(st.integers(-6, 2)))
    received = draw(st.sampled_from([START + timedelta(days=draw(st.integers(0, 900))), near_year_end]))
    hour = draw(st.integers(0, 23))
    events = [
        LedgerEvent(1, _stamp(received, hour), "receive", {"applicant_type": draw(st.sampled_from(APPLICANT_COLUMNS))})
    ]
    registered = received + timedelta(days=draw(st.integers(0, 6)))
    if draw(st.booleans()) or registered.year != received.year:  # keep year-crossing registrations likely
        events.append(
            LedgerEvent(
                2, _stamp(registered, draw(st.integers(0, 23))), "register", {"received_on": received.isoformat()}
            )
        )
    ending = draw(st.sampled_from(ENDINGS))
    if ending is not None:
        new_year = date(registered.year + 1, 1, 1)
        day = draw(st.sampled_from([registered, new_year, new_year - timedelta(days=1)]))
        day = max(registered, day + timedelta(days=draw(st.sampled_from([0, 0, draw(st.integers(0, 400))]))))
        if ending == "approve":
            outcome = draw(st.sampled_from(list(Outcome)))
            grounds = draw(st.lists(st.sampled_from([g.value for g in Ground]), min_size=1, max_size=3, unique=True))
            events.append(LedgerEvent(3, _stamp(day, 9), "decide", {"outcome": outcome.value, "grounds": grounds}))
        events.append(LedgerEvent(4, _stamp(day, draw(st.integers(0, 23))), ending, {}))
    return events


def report_for(year: int, histories: list[list[LedgerEvent]], cutoff: datetime | None = None):
    moment = cutoff or year_end(year)
    stamp = utc_stamp(moment)
    facts = [case_facts(i, f"C{i}", [e for e in evs if e.at <= stamp]) for i, evs in enumerate(histories)]
    return compute_annual(year, moment, "某机关", facts, [])


@settings(max_examples=30, deadline=None)
@given(st.lists(history(), max_size=25), st.integers(0, 364))
def test_random_case_sets_always_reconcile(histories, interim_day):
    reports = {y: report_for(y, histories) for y in (2024, 2025, 2026)}
    interim = datetime.combine(date(2026, 1, 1) + timedelta(days=interim_day), time(12), LOCAL_TZ)
    reports[0] = report_for(2026, histories, interim)  # an interim report of a year still running
    for report in reports.values():
        assert report.problems() == []
        handled = [n for r in RESULT_ROWS for n in report.table3[r]["total"].cases]
        assert len(handled) == len(set(handled)) == report.table3["handled_total"]["total"].count
    for year in (2025, 2026):
        before, after = reports[year - 1].table3, reports[year].table3
        for c in COLUMNS:
            assert sorted(before["carried_forward"][c].cases) == sorted(after["carried_over"][c].cases)
