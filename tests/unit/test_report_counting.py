"""Table 3 and Table 4 counting from facts built by hand: each case once, carry-over both ways,
the row of each result, and a broken report refused naming its cells."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from states import Ground, Outcome
from workflow.config import LOCAL_TZ
from workflow.errors import Refused
from workflow.reports.annual import Cell, compute_annual, compute_table3, compute_table4
from workflow.reports.facts import (
    CaseFacts,
    Filing,
    LedgerEvent,
    booking_date,
    case_facts,
    cutoff_for,
    filings,
    year_end,
)
from workflow.reports.layout import DATA_ROWS, GROUND_PRIORITY, RESULT_ROWS, ROWS_BY_KEY, TABLE3_ROWS, result_row
from workflow.timeutil import utc_stamp

CUTOFF = year_end(2026)


def stamp(day: str, hour: int = 10) -> str:
    return utc_stamp(datetime.combine(date.fromisoformat(day), time(hour), LOCAL_TZ))


class Ledger:
    """Events of one case, numbered in order."""

    def __init__(self) -> None:
        self.events: list[LedgerEvent] = []

    def add(self, day: str, action: str, hour: int = 10, **payload: object) -> Ledger:
        self.events.append(LedgerEvent(len(self.events) + 1, stamp(day, hour), action, payload))
        return self


def opened(day: str, kind: str = "natural_person", received: str | None = None) -> Ledger:
    led = Ledger().add(day, "receive", applicant_type=kind, received_on=received or day)
    return led.add(day, "register", received_on=received or day)


def answered(day: str, outcome: str, grounds: list[str] | None = None) -> Ledger:
    return opened(day).add(day, "decide", outcome=outcome, grounds=grounds or []).add(day, "approve")


def test_every_outcome_has_exactly_one_row():
    rows = {o: result_row(o.value, [Ground.INTERNAL_AFFAIRS.value]) for o in Outcome}
    assert all(r in RESULT_ROWS for r in rows.values())
    assert rows[Outcome.ALREADY_PUBLIC] == rows[Outcome.DISCLOSED] == "disclosed"
    assert rows[Outcome.PARTLY_DISCLOSED] == "partly_disclosed"
    assert rows[Outcome.NOT_THIS_AGENCY] == rows[Outcome.NOT_HELD] == "unavailable.not_held"
    assert rows[Outcome.SPECIAL_LAW] == "withheld.administrative_enquiry"
    assert rows[Outcome.WITHHELD] == "withheld.internal_affairs"
    assert result_row("withheld", []) is None and result_row("nonsense") is None
    # the eight grounds are the eight 不予公开 rows, in the official order
    assert [f"withheld.{g.value}" for g in GROUND_PRIORITY] == [k for k in DATA_ROWS if k.startswith("withheld.")]


def test_a_withheld_answer_on_several_grounds_counts_once_in_its_weightiest_row():
    grounds = ["process_information", "internal_affairs", "state_secret"]
    f = case_facts(1, "A1", answered("2026-03-02", "withheld", grounds).events)
    assert f.row == "withheld.state_secret"
    f = case_facts(2, "A2", answered("2026-03-02", "withheld", ["process_information", "internal_affairs"]).events)
    assert f.row == "withheld.internal_affairs"


def test_the_latest_decision_before_approval_decides_the_row():
    led = opened("2026-03-02").add("2026-03-03", "decide", outcome="withheld", grounds=["state_secret"])
    led.add("2026-03-04", "decide", outcome="partly_disclosed", grounds=["third_party_rights"]).add(
        "2026-03-05", "approve"
    )
    f = case_facts(1, "A1", led.events)
    assert (f.row, f.handled_on) == ("partly_disclosed", date(2026, 3, 5))


@pytest.mark.parametrize(
    ("action", "row"),
    [("lapse_correction", "other.no_correction"), ("lapse_fee", "other.unpaid"), ("withdraw", "other.other")],
)
def test_endings_without_an_answer_are_other_handling(action, row):
    f = case_facts(1, "A1", opened("2026-03-02").add("2026-04-01", action).events)
    assert (f.row, f.handled_on) == (row, date(2026, 4, 1))


def test_an_application_counts_from_receipt_registered_or_not():
    """Art. 31: an application handed in is received that day, whether or not it is registered."""
    led = Ledger().add("2026-03-02", "receive", applicant_type="natural_person", received_on="2026-03-02",
                       channel="in_person")  # fmt: skip
    assert case_facts(1, "A1", led.events).booked_on == date(2026, 3, 2)
    led.add("2026-03-03", "withdraw")
    f = case_facts(1, "A1", led.events)
    assert (f.booked_on, f.handled_on) == (date(2026, 3, 2), date(2026, 3, 3))


def test_an_unconfirmed_internet_application_is_not_yet_received_even_when_withdrawn():
    led = Ledger().add("2026-03-02", "receive", applicant_type="natural_person", received_on="2026-03-02",
                       channel="online")  # fmt: skip
    assert case_facts(1, "A1", led.events).booked_on is None
    led.add("2026-03-03", "withdraw")
    f = case_facts(1, "A1", led.events)
    assert (f.booked_on, f.handled_on, f.row) == (None, None, None)
    led.add("2026-03-04", "confirm_receipt", confirmed_on="2026-03-04")
    assert case_facts(1, "A1", led.events).booked_on == date(2026, 3, 4)


def test_received_in_one_year_confirmed_in_the_next_is_new_in_the_next():
    led = Ledger().add("2026-12-31", "receive", applicant_type="research_institution", received_on="2026-12-31",
                       channel="ordinary_mail")  # fmt: skip
    led.add("2027-01-04", "register", received_on="2026-12-31")
    f = case_facts(1, "A1", led.events)
    assert (f.booked_on, f.received_on, f.late_registration) == (date(2027, 1, 4), date(2026, 12, 31), True)
    # within one year the stated receipt date decides
    assert booking_date(date(2026, 5, 6), date(2026, 5, 8)) == date(2026, 5, 6)


def test_the_beijing_date_decides_the_year_of_an_event():
    # 2027-01-01 00:00 Beijing is 2026-12-31 16:00 UTC: a 2027 event, after the 2026 cut-off
    late = opened("2026-12-01").add("2027-01-01", "approve", hour=0)
    assert late.events[-1].at == "2026-12-31T16:00:00.000000Z" > utc_stamp(CUTOFF)
    assert case_facts(1, "A1", late.events).handled_on == date(2027, 1, 1)
    assert (
        cutoff_for(2026, datetime(2027, 1, 20, tzinfo=UTC))
        == CUTOFF
        == datetime(2026, 12, 31, 15, 59, 59, 999999, tzinfo=UTC)
    )
    assert cutoff_for(2026, datetime(2026, 6, 1, tzinfo=UTC)) == datetime(2026, 6, 1, tzinfo=UTC)


def F(cid, kind, booked, handled=None, row=None):  # noqa: N802 - a terse fact builder
    d = date.fromisoformat
    return CaseFacts(cid, f"C{cid}", kind, d(booked), d(booked), d(handled) if handled else None, row)


def test_table3_counts_each_case_once_with_carry_over_both_ways():
    facts = [
        F(1, "natural_person", "2025-12-20"),  # carried over, still open: carried forward again
        F(2, "natural_person", "2025-12-22", "2026-01-10", "disclosed"),  # carried over, handled
        F(3, "commercial_enterprise", "2025-06-01", "2025-07-01", "disclosed"),  # last year's business
        F(4, "commercial_enterprise", "2026-02-01", "2026-02-20", "partly_disclosed"),
        F(5, "legal_service_institution", "2026-03-01", "2026-03-20", "withheld.enforcement_files"),
        F(6, "other_organization", "2026-12-30"),  # carried forward
        F(7, "research_institution", "2026-12-30", "2027-01-05", "disclosed"),  # handled after the year: forward
        F(8, "natural_person", "2027-01-02", "2027-01-03", "disclosed"),  # next year's
        F(9, "social_welfare_organization", "2026-05-05", "2026-05-06", "other.other"),
    ]
    t, notes = compute_table3(2026, facts)
    counts = {(r, c): cell.count for r, cells in t.items() for c, cell in cells.items() if cell.count and c != "total"}
    assert counts == {
        ("new", "commercial_enterprise"): 1,
        ("new", "legal_service_institution"): 1,
        ("new", "other_organization"): 1,
        ("new", "research_institution"): 1,
        ("new", "social_welfare_organization"): 1,
        ("carried_over", "natural_person"): 2,
        ("disclosed", "natural_person"): 1,
        ("partly_disclosed", "commercial_enterprise"): 1,
        ("withheld.enforcement_files", "legal_service_institution"): 1,
        ("other.other", "social_welfare_organization"): 1,
        ("handled_total", "natural_person"): 1,
        ("handled_total", "commercial_enterprise"): 1,
        ("handled_total", "legal_service_institution"): 1,
        ("handled_total", "social_welfare_organization"): 1,
        ("carried_forward", "natural_person"): 1,
        ("carried_forward", "other_organization"): 1,
        ("carried_forward", "research_institution"): 1,
    }
    assert {r: t[r]["total"].count for r in ("new", "carried_over", "handled_total", "carried_forward")} == {
        "new": 5,
        "carried_over": 2,
        "handled_total": 4,
        "carried_forward": 3,
    }
    assert t["carried_over"]["total"].cases == ["C1", "C2"] and t["carried_forward"]["total"].cases == [
        "C1",
        "C6",
        "C7",
    ]
    assert notes == []
    report = compute_annual(2026, CUTOFF, "某机关", facts, [])
    assert report.problems() == [] and report.check() is report and report.final


def test_table4_counts_filings_in_their_year_by_result_as_of_the_cut_off():
    d = date.fromisoformat
    items = [
        Filing(1, "C1", "reconsideration", 10, d("2026-03-01"), d("2026-03-01"), "upheld"),
        Filing(1, "C1", "lawsuit_after_reconsideration", 12, d("2026-06-01"), d("2026-06-01")),
        Filing(2, "C2", "reconsideration", 20, d("2026-04-01"), d("2026-04-01"), "corrected"),
        Filing(3, "C3", "lawsuit_direct", 30, d("2026-05-01"), d("2026-05-01"), "other"),
        Filing(4, "C4", "reconsideration", 40, d("2025-11-01"), d("2025-11-01"), "upheld"),  # last year
    ]
    t = compute_table4(2026, items)
    flat = {(g, r): c.count for g, cells in t.items() for r, c in cells.items() if c.count}
    assert flat == {
        ("reconsideration", "upheld"): 1,
        ("reconsideration", "corrected"): 1,
        ("reconsideration", "total"): 2,
        ("lawsuit_direct", "other"): 1,
        ("lawsuit_direct", "total"): 1,
        ("lawsuit_after_reconsideration", "pending"): 1,
        ("lawsuit_after_reconsideration", "total"): 1,
    }
    assert t["reconsideration"]["total"].cases == ["C1", "C2"]


def test_filings_pair_each_decision_with_its_filing_and_ignore_later_decisions():
    led = opened("2026-03-02").add("2026-03-02", "approve")
    led.add("2026-04-01", "record_remedy", kind="reconsideration", event="filed", on="2026-03-30")
    first = len(led.events)
    led.add("2026-05-01", "record_remedy", kind="reconsideration", event="filed", on="2026-05-01")
    led.add("2026-06-01", "record_remedy", kind="reconsideration", event="decided", result="corrected", filing=first)
    items = filings(1, "C1", led.events)
    assert [(f.filed_on, f.result) for f in items] == [(date(2026, 3, 30), "corrected"), (date(2026, 5, 1), "pending")]
    # as of a cut-off before the decision, the ledger has no decision: pending
    before = [e for e in led.events if e.at <= stamp("2026-05-15")]
    assert [f.result for f in filings(1, "C1", before)] == ["pending", "pending"]


def test_a_broken_report_is_refused_naming_the_cells():
    facts = [F(1, "natural_person", "2026-02-01", "2026-02-20", "disclosed"), F(2, "natural_person", "2026-03-01")]
    report = compute_annual(2026, CUTOFF, "某机关", facts, [])
    report.check()
    report.table3["new"]["natural_person"] = Cell(3, ["C1", "C2", "C9"])  # one case too many, in one column
    report.table4["reconsideration"]["upheld"] = Cell(1, [])  # a number with no case behind it
    with pytest.raises(Refused) as err:
        report.check()
    message = str(err.value)
    assert err.value.rule == "report.reconciliation"
    assert "表三「自然人」列：一+二=3，三（七）+四=2" in message
    assert "表三「一、本年新收政府信息公开申请数量」行「总计」列：2，但六类申请人之和为 3" in message
    assert "表四「行政复议·结果维持」：数字 1 与所列案件 0 件不符" in message
    assert "表四「行政复议·总计」：0，但各项结果之和为 1" in message


def test_an_unplaced_result_and_an_unknown_applicant_kind_are_visible():
    facts = [
        CaseFacts(1, "C1", "natural_person", date(2026, 2, 1), None, date(2026, 2, 2), "other.other", unplaced=True),
        CaseFacts(2, "C2", "alien", date(2026, 2, 1)),
    ]
    report = compute_annual(2026, CUTOFF, "某机关", facts, [])
    assert any("C1" in n for n in report.notes) and any("C2" in n for n in report.notes)
    with pytest.raises(Refused, match="本年新收政府信息公开申请数量」行「总计」列：2，但六类申请人之和为 1"):
        report.check()


def test_row_labels_follow_the_official_format():
    labels = [r.label for r in TABLE3_ROWS]
    assert labels[0] == "一、本年新收政府信息公开申请数量" and labels[-1] == "四、结转下年度继续办理"
    for needle in ("上年结转", "予以公开", "部分公开", "国家秘密", "不掌握", "信访", "重复申请", "总计"):
        assert any(needle in label for label in labels), needle
    assert ROWS_BY_KEY["withheld.state_secret"].full_label == "（三）不予公开 1.属于国家秘密"
    assert len([r for r in TABLE3_ROWS if r.data]) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1
