"""Calendar changes: audited, and every open case recomputed with an impact report."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import act, add_staff, at, new_case
from workflow.admin.calendar import add_closure, import_arrangement
from workflow.calendar import parse_arrangement
from workflow.db import reading
from workflow.errors import Forbidden, InvalidInput
from workflow.ledger import audit
from workflow.models import Case

ARRANGEMENT_2027 = """
year: 2027
source: 测试用2027年放假安排
holidays: ["2027-01-01..2027-01-05", "2027-02-05..2027-02-11"]
workdays: ["2027-02-14"]
"""


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _case(settings, cid):
    with reading(settings) as session:
        return session.get(Case, cid)


def test_import_recomputes_open_cases_and_clears_the_provisional_flag(s):
    untouched = new_case(s, "2026-11-02")
    moved = new_case(s, "2026-12-04")
    assert (_case(s, moved).answer_due, _case(s, moved).provisional) == (date(2027, 1, 4), True)
    closed = new_case(s, "2026-12-04")
    act(s, closed, "2026-12-04", "withdraw", "r1", reason="撤回")
    impact = import_arrangement(at(s, "2026-12-10"), parse_arrangement(ARRANGEMENT_2027, "yaml"), actor="m1")
    assert impact.applied and impact.open_cases == 2
    assert [(m.case_id, m.deadline, m.old, m.new, m.days) for m in impact.moved] == [
        (moved, "answer_due", "2027-01-04", "2027-01-06", 2)
    ]
    case = _case(s, moved)
    assert (case.answer_due, case.provisional, case.version) == (date(2027, 1, 6), False, 3)
    assert _case(s, untouched).answer_due == date(2026, 11, 30)
    with reading(s) as session:
        last = audit.case_events(session, moved)[-1]
        assert last.action == "recompute_clock"
        assert audit.payload_of(last)["due_dates"] == {"answer_due": {"from": "2027-01-04", "to": "2027-01-06"}}
        assert audit.verify(session).intact


def test_a_case_confirmed_without_moving_is_recorded_too(s):
    cid = new_case(s, "2026-12-04")  # answer due 2027-01-04, provisional (1/1 is a statutory holiday)
    same = 'year: 2027\nsource: 只放元旦的安排\nholidays: ["2027-01-01"]\nworkdays: []\n'
    impact = import_arrangement(at(s, "2026-12-10"), parse_arrangement(same, "yaml"), actor="m1")
    assert impact.moved == [] and impact.confirmed == [_case(s, cid).number]
    case = _case(s, cid)
    assert (case.answer_due, case.provisional, case.version) == (date(2027, 1, 4), False, 3)
    with reading(s) as session:
        last = audit.case_events(session, cid)[-1]
    assert last.action == "recompute_clock"
    assert audit.payload_of(last)["provisional"] == {"from": True, "to": False}
    assert audit.payload_of(last)["due_dates"] == {}


def test_dry_run_previews_without_changing_anything(s):
    with reading(s) as session:
        base = audit.verify(session).count  # the staff on the ledger
    cid = new_case(s, "2026-12-04")
    impact = import_arrangement(
        at(s, "2026-12-10"), parse_arrangement(ARRANGEMENT_2027, "yaml"), actor="m1", dry_run=True
    )
    assert not impact.applied and len(impact.moved) == 1
    assert _case(s, cid).answer_due == date(2027, 1, 4)
    with reading(s) as session:
        assert audit.verify(session).count == base + 2  # receive + register: the preview left no event


def test_only_admins_change_the_calendar(s):
    with pytest.raises(Forbidden):
        import_arrangement(s, parse_arrangement(ARRANGEMENT_2027, "yaml"), actor="h1")
    with pytest.raises(Forbidden):
        add_closure(s, date(2026, 5, 12), "台风", actor="a1")


def test_a_closure_day_moves_running_deadlines(s):
    cid = new_case(s, "2026-05-06")  # due 6/2
    impact = add_closure(at(s, "2026-05-11"), date(2026, 5, 12), "台风停止办公", actor="m1")
    assert [(m.deadline, m.old, m.new) for m in impact.moved] == [
        ("answer_due", "2026-06-02", "2026-06-03"),
        ("correction_notice_due", "2026-05-14", "2026-05-15"),
    ]
    assert _case(s, cid).answer_due == date(2026, 6, 3)
    with pytest.raises(InvalidInput):
        add_closure(at(s, "2026-05-11"), date(2026, 5, 12), "again", actor="m1")
