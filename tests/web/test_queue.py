"""The work queue sorts and cuts in the database: nearest due date first (the answer date only
while its clock runs), closed cases last, so an urgent old case is never lost behind newer ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from states import TERMINAL_STATES, CaseState
from tests.factories import act, add_staff, at, new_case
from web.deps import Principal
from web.views import _nearest, case_summaries
from workflow.db import reading
from workflow.models import Case

ALL = Principal("u1", frozenset({"auditor"}), None, via_cookie=False)


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _expected(settings, today: date) -> list[tuple[int, date | None]]:
    """The queue order by the Python rule the page shows (`_nearest`), computed from the rows."""
    with reading(settings) as session:
        cases = list(session.exec(select(Case)))
    rows = []
    for c in cases:
        nearest = _nearest(c) if CaseState(c.state) not in TERMINAL_STATES else None
        rows.append((c.id or 0, nearest[1] if nearest else None))
    rows.sort(key=lambda r: (r[1] is None, r[1] or date.max, r[0]))
    return rows


def test_the_database_order_is_the_nearest_due_date_order(s):
    old_urgent = new_case(s, "2026-04-01")  # its deadlines fall long before the others
    paused = new_case(s, "2026-04-02")
    act(s, paused, "2026-04-03", "start_review", "h1")
    act(s, paused, "2026-04-03", "consult", "h1", party="third_party", addressee="某公司")  # answer clock paused
    corrected = new_case(s, "2026-05-06")
    withdrawn = new_case(s, "2026-05-06")
    unregistered = new_case(s, "2026-05-06", register=False)  # still due: register by 5/7 (Art. 31)
    act(s, corrected, "2026-05-07", "request_correction", "h1", items="请写明年份", period_days="3")
    act(s, withdrawn, "2026-05-07", "withdraw", "r1", reason="申请人撤回")
    for day in ("2026-05-11", "2026-05-12", "2026-05-13", "2026-05-14"):
        new_case(s, day)
    today = date(2026, 5, 14)
    expected = _expected(s, today)
    got = [(r["id"], r["next_due"]) for r in case_summaries(at(s, today), ALL, limit=100)]
    assert got == expected
    assert got[0] == (old_urgent, date(2026, 4, 13))  # its correction-notice limit (7 working days)
    assert got[-1] == (withdrawn, None)  # nothing due: last
    assert (unregistered, date(2026, 5, 7)) in got  # its registration limit
    # Cut to three, the old urgent case still leads; newer cases are what falls off.
    assert [r["id"] for r in case_summaries(at(s, today), ALL, limit=3)] == [i for i, _ in expected[:3]]
    overdue = case_summaries(at(s, today), ALL, overdue=True)
    assert {r["id"] for r in overdue} == {i for i, due in expected if due is not None and due < today}
    assert all(r["working_days_left"] < 0 for r in overdue) and old_urgent in {r["id"] for r in overdue}
