"""Issue 12 point 6 on SQLite and PostgreSQL: the confirm_or_reissue basis setting, special-law
answers noticed and counted as 不予公开, late approval confirmed and counted late, and the identity
document at registration and for per-count fees."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from workflow.admin.office import change_setting
from workflow.config import LOCAL_TZ
from workflow.db import reading, transaction
from workflow.errors import InvalidInput, Refused
from workflow.ledger import audit
from workflow.letters.issue import letter_bytes, letters_of
from workflow.models import Notification
from workflow.office.settings import load_office
from workflow.reports import annual_report
from workflow.reports.stats import office_stats


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def answer(s, cid: int, day: str, outcome: str, approve_day: str | None = None, **approve: object) -> None:
    act(s, cid, day, "start_review", "h1")
    act(s, cid, day, "decide", "h1", outcome=outcome)
    act(s, cid, day, "submit", "h1")
    act(s, cid, approve_day or day, "approve", "a1", **approve)


def answer_html(s, cid: int) -> str:
    with reading(s) as session:
        letter = [x for x in letters_of(session, cid) if x.series == "答"][-1]
        return letter_bytes(session, letter.id or 0, "html")[1].decode()


def register_event(s, cid: int) -> dict:
    with reading(s) as session:
        return audit.payload_of(next(e for e in audit.case_events(session, cid) if e.action == "register"))


# --- confirm_or_reissue: an office setting, never Art. 39 -------------------------------------------


def set_basis(s, value: str) -> None:
    moment = at(s, "2026-05-08")
    with transaction(moment) as session:
        change_setting(session, key="confirm_or_reissue_basis", value=value, actor="m1", now=moment.now())


def test_confirm_or_reissue_cites_the_office_basis_never_article_39(s):
    cid = new_case(s, "2026-05-06")
    answer(s, cid, "2026-05-07", "confirm_or_reissue")
    html = answer_html(s, cid)
    assert "《中华人民共和国政府信息公开条例》第二条、第二十七条的规定" in html and "第三十九条" not in html
    set_basis(s, "第二条")
    other = new_case(s, "2026-05-08")
    answer(s, other, "2026-05-08", "confirm_or_reissue")
    assert "《中华人民共和国政府信息公开条例》第二条的规定" in answer_html(s, other)
    assert "第二条、第二十七条" in answer_html(s, cid)  # an issued letter never changes


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("第三十九条", "office.confirm_or_reissue_not_art39"),
        ("第二条、第三十九条", "office.confirm_or_reissue_not_art39"),
        ("", "office.confirm_or_reissue_basis"),
        ("《条例》第二条", "office.confirm_or_reissue_basis"),
        ("Art. 2", "office.confirm_or_reissue_basis"),
    ],
)
def test_a_bad_basis_is_refused_naming_the_rule(s, value, rule):
    with pytest.raises(InvalidInput) as err:
        set_basis(s, value)
    assert (err.value.rule, err.value.field) == (rule, "confirm_or_reissue_basis")
    with reading(s) as session:
        assert load_office(session).confirm_or_reissue_basis == "第二条、第二十七条"


# --- special-law answers: one choice for the notice and the report row ---------------------------------


def test_a_special_law_answer_gets_the_reconsideration_first_notice_and_the_enquiry_row(s):
    cid = new_case(s, "2026-05-06")
    answer(s, cid, "2026-05-07", "special_law")
    html = answer_html(s, cid)
    assert "第三十六条第（七）项" in html
    assert "应当先申请行政复议" in html and "六个月内" not in html
    report = annual_report(s, 2026, datetime.combine(date(2027, 1, 20), time(10), LOCAL_TZ))
    assert report.table3["withheld.administrative_enquiry"]["total"].count == 1
    assert report.problems() == []


# --- approval after the answer was due ---------------------------------------------------------------


def test_a_late_approval_must_be_confirmed_is_recorded_and_counts_late(s):
    cid = new_case(s, "2026-05-06")  # answer due 2026-06-02
    on_time = new_case(s, "2026-05-06")
    answer(s, on_time, "2026-05-07", "not_held")  # in time: nothing to confirm
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "h1")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-06-03", "approve", "a1")
    assert err.value.rule == "art33.late_approval_confirm" and "2026-06-02" in err.value.message
    act(s, cid, "2026-06-03", "approve", "a1", confirm_late="true")
    with reading(s) as session:
        event = audit.case_events(session, cid)[-1]
    payload = audit.payload_of(event)
    assert (event.action, payload["confirm_late"], payload["answer_due_passed"]) == ("approve", True, "2026-06-02")
    stats = office_stats(s, 2026, datetime.combine(date(2026, 12, 31), time(12), LOCAL_TZ))
    assert (stats.overall.answered, stats.overall.on_time, stats.overall.late) == (2, 1, 1)


# --- identity documents (Art. 29) -------------------------------------------------------------------


def test_registration_records_a_missing_identity_document_and_tells_the_handlers(s):
    missing = new_case(s, "2026-05-06", id_number=None)
    present = new_case(s, "2026-05-06")
    assert register_event(s, missing)["identity_document"] == "missing"
    assert register_event(s, present)["identity_document"] == "resident_id"
    with reading(s) as session:
        notes = list(session.exec(select(Notification).where(Notification.kind == "case:register")))
    assert sorted(n.user_name for n in notes) == ["h1", "h2"]  # no handler yet: every handler
    assert all(n.case_id == missing for n in notes)
    assert "缺少身份证明" in notes[0].title
    assert "第二十九条" in notes[0].body and "补正" in notes[0].body and "2026-05-14" in notes[0].body


def test_per_count_fees_need_an_identity_document(s):
    cid = new_case(s, "2026-05-06", id_number=None)
    act(s, cid, "2026-05-07", "start_review", "h1")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "issue_fee_notice", "h1", method="per_count", count="12")
    assert err.value.rule == "fee.per_count_needs_identity" and "身份证明" in err.value.message
    assert act(s, cid, "2026-05-07", "issue_fee_notice", "h1", method="per_page", pages="40").to_state == "awaiting_fee"


def test_per_count_fees_count_by_credit_code_and_refuse_an_older_number(s):
    ids = [new_case(s, "2026-05-06", applicant_type="commercial_enterprise") for _ in range(11)]
    old = new_case(s, "2026-05-06", applicant_type="commercial_enterprise", id_number="12345678-9")
    act(s, ids[-1], "2026-05-07", "start_review", "h1")
    act(s, ids[-1], "2026-05-07", "issue_fee_notice", "h1", method="per_count")
    with reading(s) as session:
        notice = [e for e in audit.case_events(session, ids[-1]) if e.action == "issue_fee_notice"][0]
    assert (audit.payload_of(notice)["count_in_register"], audit.payload_of(notice)["amount"]) == (11, 100)
    assert register_event(s, old)["identity_document"] == "other"
    act(s, old, "2026-05-07", "start_review", "h1")
    with pytest.raises(Refused) as err:
        act(s, old, "2026-05-07", "issue_fee_notice", "h1", method="per_count", count="12")
    assert err.value.rule == "fee.per_count_needs_identity"
