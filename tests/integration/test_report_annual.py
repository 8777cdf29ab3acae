"""The annual report from real cases on SQLite and PostgreSQL: a generated year with known outcomes
gives the exact tables, carry-over both ways across the year end, a past year unchanged by later
events, reconsideration and litigation recorded as audited, role-checked facts."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from workflow.cases.remedies import record_remedy
from workflow.config import LOCAL_TZ
from workflow.db import reading, transaction
from workflow.errors import Forbidden, InvalidInput, NotFound, Refused
from workflow.ledger import audit
from workflow.models import AuditEvent, Case
from workflow.office.settings import load_office, set_office
from workflow.reports import annual_report
from workflow.reports.render import to_json
from workflow.reports.stats import office_stats

ACCESS = "本机关门户网站“政府信息公开”专栏"


def moment(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), LOCAL_TZ)


def answer(
    s, cid: int, day: str, outcome: str, review: str | None = None, handler: str = "h1", **decide: object
) -> None:
    act(s, cid, day, "start_review", handler)
    if review:
        act(s, cid, day, "review_confidentiality", "v1", conclusion=review)
    act(s, cid, day, "decide", handler, outcome=outcome, **decide)
    act(s, cid, day, "submit", handler)
    act(s, cid, day, "approve", "a1")


def remedy(s, cid: int, day: str, kind: str, event: str, result: str | None = None, actor: str = "h1"):
    return record_remedy(
        at(s, day), cid, kind=kind, actor=actor, event=event, result=result, on=date.fromisoformat(day)
    )


def nonzero(report, table: str = "table3") -> dict[tuple[str, str], int]:
    grid = getattr(report, table)
    return {(r, c): cell.count for r, cells in grid.items() for c, cell in cells.items() if cell.count}


def number(s, cid: int) -> str:
    with reading(s) as session:
        case = session.get(Case, cid)
        assert case is not None
        return case.number


@pytest.fixture
def year(settings):
    """Cases across 2025 and 2026 with known outcomes, and reconsiderations and lawsuits."""
    s = settings
    add_staff(s)
    c = {}
    c[1] = new_case(s, "2025-12-15")  # open at the end of 2025, answered in 2026
    c[2] = new_case(s, "2025-12-22", applicant_type="commercial_enterprise")
    act(s, c[2], "2025-12-29", "withdraw", "r1", reason="申请人书面撤回")
    answer(s, c[1], "2026-01-08", "disclosed", "clear")
    c[3] = new_case(s, "2026-03-02")
    c[4] = new_case(s, "2026-03-03", applicant_type="legal_service_institution")
    answer(s, c[3], "2026-03-05", "partly_disclosed", "personal_data", grounds="third_party_rights", reason="个人隐私")
    answer(s, c[4], "2026-03-06", "withheld", grounds="process_information,state_secret")
    c[5] = new_case(s, "2026-04-01", applicant_type="research_institution")
    c[6] = new_case(s, "2026-04-02", applicant_type="commercial_enterprise")
    answer(s, c[5], "2026-04-03", "needs_compilation")
    answer(s, c[6], "2026-04-07", "not_this_agency", responsible_agency="示例市市场监督管理局", reason="登记信息")
    remedy(s, c[4], "2026-04-20", "reconsideration", "filed")
    c[7] = new_case(s, "2026-05-06")
    act(s, c[7], "2026-05-07", "request_correction", "h1", items="请写明文件名称", period_days=5)  # handed over
    c[8] = new_case(s, "2026-05-07", applicant_type="social_welfare_organization")
    act(s, c[8], "2026-05-08", "start_review", "h1")
    act(s, c[8], "2026-05-08", "issue_fee_notice", "h1", method="per_page", pages=60)
    remedy(s, c[6], "2026-05-10", "lawsuit_direct", "filed")
    act(s, c[7], "2026-05-20", "lapse_correction", "system")
    c[9] = new_case(s, "2026-06-01", applicant_type="other_organization")
    answer(s, c[9], "2026-06-03", "special_law")
    remedy(s, c[4], "2026-06-10", "reconsideration", "decided", "upheld")
    act(s, c[8], "2026-06-15", "lapse_fee", "system")
    remedy(s, c[4], "2026-06-20", "lawsuit_after_reconsideration", "filed", actor="m1")
    c[12] = new_case(s, "2026-07-01")
    answer(s, c[12], "2026-07-02", "petition", access="请通过12345热线反映")
    # arrived online, receipt never confirmed (Art. 31(3)): not yet an application
    new_case(s, "2026-08-03", register=False, channel="online")
    remedy(s, c[6], "2026-09-01", "lawsuit_direct", "decided", "other")
    c[10] = new_case(s, "2026-12-28")  # open at the end of 2026
    remedy(s, c[3], "2026-12-30", "reconsideration", "filed")
    # arrived by ordinary post on 31 December, its receipt confirmed (and so recorded) on 4 January
    c[11] = new_case(s, "2026-12-31", register=False, channel="ordinary_mail")
    return s, c


def later_events(s, c) -> None:
    """What happens in 2027 to the same cases: none of it may change the 2026 report."""
    act(s, c[11], "2027-01-04", "confirm_receipt", "r1", confirmed_on="2026-12-31", method="phone")
    act(s, c[11], "2027-01-04", "register", "r1")
    answer(s, c[10], "2027-01-05", "disclosed", "clear")
    with transaction(at(s, "2027-01-06")) as session:  # as `ogi office set name ...` does
        before = load_office(session).name
        set_office(session, "name", "示例市人民政府")
        audit.append(session, case_id=None, at=at(s, "2027-01-06").now(), actor="m1", role="admin",
                     action="office_setting", from_state=None, to_state=None,
                     payload={"key": "name", "from": before, "to": "示例市人民政府"})  # fmt: skip
    remedy(s, c[3], "2027-01-10", "reconsideration", "decided", "corrected")
    remedy(s, c[9], "2027-01-15", "lawsuit_direct", "filed")
    remedy(s, c[4], "2027-02-01", "lawsuit_after_reconsideration", "decided", "corrected")


def test_a_generated_year_gives_the_exact_tables(year):
    s, c = year
    report = annual_report(s, 2026, moment("2027-01-20"))
    NP, CE, RI, SW, LS, OO = (  # noqa: N806
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_welfare_organization",
        "legal_service_institution",
        "other_organization",
    )
    expected = {
        ("new", NP): 4, ("new", CE): 1, ("new", RI): 1, ("new", SW): 1, ("new", LS): 1, ("new", OO): 1,
        ("new", "total"): 9,
        ("carried_over", NP): 1, ("carried_over", "total"): 1,
        ("disclosed", NP): 1, ("disclosed", "total"): 1,
        ("partly_disclosed", NP): 1, ("partly_disclosed", "total"): 1,
        ("withheld.state_secret", LS): 1, ("withheld.state_secret", "total"): 1,
        ("withheld.administrative_enquiry", OO): 1, ("withheld.administrative_enquiry", "total"): 1,
        ("unavailable.not_held", CE): 1, ("unavailable.not_held", "total"): 1,
        ("unavailable.needs_compilation", RI): 1, ("unavailable.needs_compilation", "total"): 1,
        ("not_processed.petition", NP): 1, ("not_processed.petition", "total"): 1,
        ("other.no_correction", NP): 1, ("other.no_correction", "total"): 1,
        ("other.unpaid", SW): 1, ("other.unpaid", "total"): 1,
        ("handled_total", NP): 4, ("handled_total", CE): 1, ("handled_total", RI): 1, ("handled_total", SW): 1,
        ("handled_total", LS): 1, ("handled_total", OO): 1, ("handled_total", "total"): 9,
        ("carried_forward", NP): 1, ("carried_forward", "total"): 1,
    }  # fmt: skip
    assert nonzero(report) == expected
    assert nonzero(report, "table4") == {
        ("reconsideration", "upheld"): 1,
        ("reconsideration", "pending"): 1,
        ("reconsideration", "total"): 2,
        ("lawsuit_direct", "other"): 1,
        ("lawsuit_direct", "total"): 1,
        ("lawsuit_after_reconsideration", "pending"): 1,
        ("lawsuit_after_reconsideration", "total"): 1,
    }
    t = report.table3
    assert t["carried_over"]["total"].cases == [number(s, c[1])]
    assert t["carried_forward"]["total"].cases == [number(s, c[10])]
    assert t["withheld.state_secret"][LS].cases == [number(s, c[4])]
    assert report.table4["reconsideration"]["total"].cases == [number(s, c[3]), number(s, c[4])]

    last = annual_report(s, 2025, moment("2027-01-20"))
    assert nonzero(last) == {
        ("new", NP): 1, ("new", CE): 1, ("new", "total"): 2,
        ("other.other", CE): 1, ("other.other", "total"): 1,
        ("handled_total", CE): 1, ("handled_total", "total"): 1,
        ("carried_forward", NP): 1, ("carried_forward", "total"): 1,
    }  # fmt: skip
    assert last.table3["carried_forward"]["total"].cases == t["carried_over"]["total"].cases


def test_a_past_year_is_unchanged_by_later_events_and_carries_over_into_the_next(year):
    s, c = year
    before = to_json(annual_report(s, 2026, moment("2027-01-02")))
    interim = annual_report(s, 2026, moment("2026-12-29"))  # before the year ended: c[3]'s filing not yet made
    assert not interim.final and interim.table4["reconsideration"]["total"].count == 1
    later_events(s, c)
    assert to_json(annual_report(s, 2026, moment("2027-03-01"))) == before
    assert json.loads(before)["final"] is True

    nxt = annual_report(s, 2027, moment("2027-03-01"))
    t = nxt.table3
    assert t["carried_over"]["total"].cases == [number(s, c[10])]
    assert t["disclosed"]["total"].cases == [number(s, c[10])]
    assert t["new"]["total"].cases == [number(s, c[11])]  # received 31 Dec, confirmed on 4 Jan
    assert any(number(s, c[11]) in note for note in nxt.notes)
    assert t["carried_forward"]["total"].cases == [number(s, c[11])]
    assert nonzero(nxt, "table4") == {("lawsuit_direct", "pending"): 1, ("lawsuit_direct", "total"): 1}
    assert (nxt.office, json.loads(before)["office"]) == ("示例市人民政府", "示例市人民政府办公室")


def test_statistics_from_the_same_year(year):
    s, c = year
    stats = office_stats(s, 2026, moment("2027-01-20"))
    o = stats.overall
    assert (o.intake, o.answered, o.on_time, o.late, o.extensions, o.fee_income) == (9, 7, 7, 0, 0, 0)
    assert o.overdue_open == 0 and o.median_workdays is not None
    assert [m.intake for m in stats.months] == [0, 0, 2, 2, 2, 1, 1, 0, 0, 0, 0, 1]
    assert {g.name for g in stats.handlers} == {"h1", "未分配"}


def test_on_time_working_days_extensions_and_fees(settings):
    s = settings
    add_staff(s)
    quick = new_case(s, "2026-05-06")
    slow = new_case(s, "2026-05-06")  # due 2026-06-02 (tests/integration/test_service.py)
    stale = new_case(s, "2026-05-06")
    act(s, quick, "2026-05-07", "start_review", "h1")
    act(s, quick, "2026-05-07", "issue_fee_notice", "h1", method="per_page", pages=60)
    act(s, slow, "2026-05-07", "assign", "m1", handler="h2", department="二科")
    act(s, quick, "2026-05-12", "record_payment", "h1")
    act(s, quick, "2026-05-13", "decide", "h1", outcome="needs_compilation")
    act(s, quick, "2026-05-13", "submit", "h1")
    act(s, quick, "2026-05-14", "approve", "a1")
    act(s, slow, "2026-05-20", "extend", "a1", days=5, reason="需调阅档案")
    # After the extended due date (2026-06-09): late, so the approver must confirm it (issue 12).
    act(s, slow, "2026-06-12", "start_review", "h2")
    act(s, slow, "2026-06-12", "decide", "h2", outcome="not_held")
    act(s, slow, "2026-06-12", "submit", "h2")
    act(s, slow, "2026-06-12", "approve", "a1", confirm_late="true")
    stats = office_stats(s, 2026, moment("2026-06-30"))
    o = stats.overall
    assert (o.intake, o.answered, o.on_time, o.late, o.overdue_open, o.extensions, o.fee_income) == (
        3,
        2,
        1,
        1,
        1,
        1,
        300,
    )
    groups = {g.name: g for g in stats.departments}
    assert groups["二科"].late == 1 and groups["未分配"].on_time == 1
    handlers = {g.name: g for g in stats.handlers}
    assert handlers["h1"].median_workdays == 7  # 5/7 5/8 5/9 (a make-up Saturday) 5/11 5/12 5/13 5/14
    assert handlers["h2"].answered == 1 and stale


def test_remedies_are_audited_role_checked_and_leave_the_case_alone(settings):
    s = settings
    add_staff(s)
    cid = new_case(s, "2026-05-06")
    answer(s, cid, "2026-05-08", "not_held")
    act(s, cid, "2026-05-09", "close", "h1")
    with reading(s) as session:
        before = session.get(Case, cid)
        assert before is not None
    for actor in ("u1", "r1", "a1", "v1"):
        with pytest.raises(Forbidden, match="admin、handler"):
            remedy(s, cid, "2026-06-01", "reconsideration", "filed", actor=actor)
    with pytest.raises(NotFound):
        remedy(s, cid, "2026-06-01", "reconsideration", "filed", actor="nobody")
    with pytest.raises(NotFound):
        record_remedy(at(s, "2026-06-01"), 9999, kind="reconsideration", actor="h1", event="filed")
    with pytest.raises(InvalidInput) as err:
        remedy(s, cid, "2026-06-01", "appeal", "filed")
    assert err.value.field == "kind"
    with pytest.raises(InvalidInput, match="result"):
        remedy(s, cid, "2026-06-01", "reconsideration", "filed", "upheld")
    with pytest.raises(Refused) as refused:
        remedy(s, cid, "2026-06-01", "reconsideration", "decided", "upheld")
    assert refused.value.rule == "remedy.no_filing"
    with pytest.raises(Refused) as refused:
        remedy(s, cid, "2026-06-01", "lawsuit_after_reconsideration", "filed")
    assert refused.value.rule == "remedy.needs_reconsideration"
    with pytest.raises(InvalidInput) as err:
        record_remedy(at(s, "2026-06-01"), cid, kind="reconsideration", actor="h1", event="filed", on=date(2026, 6, 2))
    assert err.value.rule == "input.future_date"
    with pytest.raises(InvalidInput, match="早于收到申请之日"):
        remedy(s, cid, "2026-05-01", "reconsideration", "filed")

    filed = remedy(s, cid, "2026-06-01", "reconsideration", "filed")
    with pytest.raises(InvalidInput, match="result"):
        remedy(s, cid, "2026-07-01", "reconsideration", "decided")
    with pytest.raises(InvalidInput, match="早于申请日期"):
        record_remedy(at(s, "2026-07-01"), cid, kind="reconsideration", actor="h1", event="decided",
                      result="upheld", on=date(2026, 5, 30))  # fmt: skip
    decided = remedy(s, cid, "2026-07-01", "reconsideration", "decided", "corrected", actor="m1")
    assert decided.filing == filed.seq
    with pytest.raises(Refused, match="尚未审结"):
        remedy(s, cid, "2026-07-02", "reconsideration", "decided", "upheld")
    remedy(s, cid, "2026-07-10", "lawsuit_after_reconsideration", "filed")

    with reading(s) as session:
        after = session.get(Case, cid)
        assert after is not None
        assert (after.state, after.version, after.updated_at) == (before.state, before.version, before.updated_at)
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "record_remedy")).all()
        assert [(e.role, e.from_state, e.to_state) for e in events] == [
            ("handler", "closed", "closed"),
            ("admin", "closed", "closed"),
            ("handler", "closed", "closed"),
        ]
        assert audit.payload_of(events[1]) == {
            "kind": "reconsideration",
            "event": "decided",
            "on": "2026-07-01",
            "result": "corrected",
            "filing": filed.seq,
        }
        assert audit.verify(session).intact
    report = annual_report(s, 2026, moment("2026-08-01"))
    assert nonzero(report, "table4") == {
        ("reconsideration", "corrected"): 1,
        ("reconsideration", "total"): 1,
        ("lawsuit_after_reconsideration", "pending"): 1,
        ("lawsuit_after_reconsideration", "total"): 1,
    }


def test_a_year_that_cannot_be_reported_is_refused(sqlite_settings):
    with pytest.raises(InvalidInput) as err:
        annual_report(sqlite_settings, 2027, moment("2026-12-31", 23))
    assert err.value.rule == "report.year"
    with pytest.raises(InvalidInput):
        annual_report(sqlite_settings, 2007, moment("2026-12-31"))
    empty = annual_report(sqlite_settings, 2026, moment("2026-12-31"))
    assert empty.problems() == [] and empty.table3["new"]["total"].count == 0
