"""The work queue: each open case's nearest *obligation* (states.deadlines), named by kind, sorted
and cut in the database with a total; a passed correction-notice window closes an option and is
never 逾期."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from states import DEFAULT_RULEBOOK, TERMINAL_STATES, CaseState
from states.deadlines import DEADLINE_KINDS, is_obligation
from tests.factories import act, add_staff, at, new_case
from web.deps import Principal
from web.paging import PAGE_SIZES, Page, page_size
from web.views import QueueFilter, case_summaries, default_view, queue_page
from workflow.cases.queries import deadlines_of
from workflow.db import reading
from workflow.models import Case

ALL = Principal("u1", frozenset({"auditor"}), None, via_cookie=False)


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _expected(settings, today: date) -> list[tuple[int, date | None]]:
    """The queue order recomputed from each case's ledger by the clock (not from the stored row)."""
    rows = []
    with reading(settings) as session:
        for c in session.exec(select(Case)):
            out, _ = deadlines_of(session, c, DEFAULT_RULEBOOK)
            nearest = out.next_due() if CaseState(c.state) not in TERMINAL_STATES else None
            rows.append((c.id or 0, nearest[1] if nearest else None))
    rows.sort(key=lambda r: (r[1] is None, r[1] or date.max, r[0]))
    return rows


def test_a_passed_correction_window_is_not_overdue_but_a_passed_answer_date_is(s):
    answer_passed = new_case(s, "2026-04-01")  # answer due 4/30
    window_passed = new_case(s, "2026-05-06")  # may ask for a correction until 5/14; answer due 6/2
    today = date(2026, 5, 20)
    rows = {r["id"]: r for r in case_summaries(at(s, today), ALL)}
    open_ = rows[window_passed]
    assert (open_["next_due_kind"], open_["next_due_label"], open_["next_due"]) == (
        "answer_due",
        "答复期限",
        date(2026, 6, 2),
    )
    assert open_["overdue"] is False and open_["working_days_left"] == 9 and open_["level"] is None
    late = rows[answer_passed]
    assert late["next_due_kind"] == "answer_due" and late["overdue"] is True and late["working_days_left"] < 0
    assert late["level"] == "overdue"
    only_late = case_summaries(at(s, today), ALL, overdue=True)
    assert [r["id"] for r in only_late] == [answer_passed]


def test_the_rule_names_every_kind_and_only_the_correction_window_is_an_option():
    options = {k for k in DEADLINE_KINDS if not is_obligation(k)}
    assert options == {"correction_notice_due"}
    assert {"answer_due", "correction_reply_due", "consultation_due", "assist_due", "fee_due"} <= set(DEADLINE_KINDS)
    assert all("_" not in spec.label for spec in DEADLINE_KINDS.values())


def test_each_kind_of_obligation_leads_when_it_is_nearest(s):
    assist, fee, correction = (new_case(s, "2026-05-06") for _ in range(3))
    unregistered = new_case(s, "2026-05-06", register=False)
    act(s, assist, "2026-05-07", "start_review", "h1")
    act(s, assist, "2026-05-07", "consult", "h1", party="internal_department", addressee="法规科", due_days="3")
    act(s, fee, "2026-05-07", "start_review", "h1")
    act(s, fee, "2026-05-07", "issue_fee_notice", "h1", method="per_page", pages="50", delivered_on="2026-05-07")
    act(
        s,
        correction,
        "2026-05-07",
        "request_correction",
        "h1",
        items="请写明年份",
        period_days="3",
        delivered_on="2026-05-07",
    )
    rows = {r["id"]: r for r in case_summaries(at(s, "2026-05-08"), ALL)}
    assert rows[assist]["next_due_kind"] == "assist_due" and rows[assist]["next_due_label"] == "协办期限"
    assert rows[fee]["next_due_kind"] == "fee_due" and rows[fee]["next_due_label"] == "缴费期限"
    assert rows[correction]["next_due_kind"] == "correction_reply_due"
    assert rows[correction]["next_due_label"] == "补正期限"
    assert rows[unregistered]["next_due_kind"] == "registration_due"


def test_the_database_order_is_the_nearest_obligation_order(s):
    old_urgent = new_case(s, "2026-04-01")  # its answer date falls long before the others'
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
    assert got[0] == (paused, date(2026, 4, 13))  # its letter's delivery is still unconfirmed
    assert (old_urgent, date(2026, 4, 30)) in got  # its answer date (20 working days)
    assert got[-1] == (withdrawn, None)  # nothing due: last
    assert (unregistered, date(2026, 5, 7)) in got  # its registration limit
    # Cut to three, the old urgent case still leads; newer cases are what falls off.
    assert [r["id"] for r in case_summaries(at(s, today), ALL, limit=3)] == [i for i, _ in expected[:3]]
    overdue = case_summaries(at(s, today), ALL, overdue=True)
    assert {r["id"] for r in overdue} == {i for i, due in expected if due is not None and due < today}
    assert all(r["working_days_left"] < 0 and r["overdue"] for r in overdue) and old_urgent in {
        r["id"] for r in overdue
    }


def test_pages_are_cut_in_the_database_with_a_total_and_links_that_keep_the_filters(s):
    ids = [new_case(s, "2026-05-06") for _ in range(7)]
    other = new_case(s, "2026-05-07")
    act(s, other, "2026-05-07", "assign", "r1", handler="h2")
    f = QueueFilter(q="依申", sort="number", desc=True)
    first = queue_page(at(s, "2026-05-08"), ALL, f, page=1, size=3)
    assert first.total == 8 and first.pages == 3 and len(first.items) == 3
    third = queue_page(at(s, "2026-05-08"), ALL, f, page=3, size=3)
    assert len(third.items) == 2
    numbers = [r["number"] for r in first.items + queue_page(at(s, "2026-05-08"), ALL, f, page=2, size=3).items]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers + [r["number"] for r in third.items])) == 8
    mine = queue_page(at(s, "2026-05-08"), ALL, QueueFilter(handler="h2"), page=1, size=20)
    assert mine.total == 1 and [r["id"] for r in mine.items] == [other]
    assert set(ids).isdisjoint(r["id"] for r in mine.items)
    page = Page([], 95, 2, 20, "/", {"q": "王", "overdue": "true", "sort": "due"})
    links = {text: url for text, url, _ in page.links()}
    assert all("q=%E7%8E%8B" in u and "overdue=true" in u and "size=20" in u for u in links.values())
    assert "page=5" in links["末页"] and "page=1" in links["首页"] and "page=3" in links["下一页"]
    assert page_size(10_000) == PAGE_SIZES[-1] and page_size(0) == PAGE_SIZES[0] and page_size(50) == 50


def test_the_default_view_depends_on_the_role():
    assert default_view(Principal("h1", frozenset({"handler"}), "法规科", False)).scope == "mine"
    assert default_view(Principal("a1", frozenset({"approver"}), None, False)).state == "awaiting_approval"
    assert default_view(Principal("r1", frozenset({"registrar"}), "办公室", False)).scope == "department"
    assert default_view(Principal("u1", frozenset({"auditor"}), None, False)) == QueueFilter()
