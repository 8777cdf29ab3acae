"""The clock's inputs made provable (issue 12): simulated time only in simulation databases and
never backwards, receipt per channel (Art. 31), service (送达) of every letter with the periods
that bind the addressee running from delivery, Art. 35 reasons and Art. 32 objections."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from states import DEFAULT_RULEBOOK
from tests.conftest import make_sqlite, postgres_available
from tests.factories import act, add_staff, at, new_case
from tests.helpers import PG_URL, drop_schema
from workflow.admin.users import add_user
from workflow.cases.queries import deadlines_of
from workflow.clock.deadlines import Deadlines
from workflow.config import Settings
from workflow.db import dispose_engines, reading, transaction
from workflow.errors import Forbidden, InvalidInput, Refused
from workflow.letters.issue import letter_bytes, letters_of
from workflow.models import AuditEvent, Case, Escalation, Letter, ServiceRecord
from workflow.reports import annual_report
from workflow.schema import upgrade
from workflow.service import receive_application
from workflow.sweep.cases import sweep

D = date.fromisoformat


@pytest.fixture
def s(settings: Settings) -> Settings:
    add_staff(settings)
    return settings


@pytest.fixture(params=["sqlite", "postgres"])
def real(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """A database made for real work (not a simulation), on each backend."""
    if request.param == "sqlite":
        yield make_sqlite(tmp_path, simulation=False)
        dispose_engines()
        return
    if not postgres_available():
        pytest.skip("PostgreSQL not reachable")
    schema = f"ogi_test_{uuid.uuid4().hex[:12]}"
    settings = Settings(database_url=PG_URL, db_schema=schema)
    try:
        upgrade(settings)
        yield settings
    finally:
        dispose_engines()
        drop_schema(schema)


def load(settings: Settings, cid: int) -> Case:
    with reading(settings) as session:
        case = session.get(Case, cid)
        assert case is not None
        return case


def _receive(settings: Settings, day: str, channel: str = "in_person") -> int:
    case = receive_application(
        at(settings, day),
        channel=channel,
        received_on=D(day),
        applicant="王五",
        applicant_type="natural_person",
        request="请公开本单位2025年部门决算",
        actor="r1",
    )
    assert case.id is not None
    return case.id


# --- 1. two times, never confused ---------------------------------------------------------------


def test_a_write_under_ogi_now_is_refused_on_a_real_database_and_nothing_is_written(real):
    with transaction(real) as session:  # the server's own clock: allowed
        add_user(session, name="r1", roles=["registrar"], now=real.now())
    with pytest.raises(Refused) as refused:
        _receive(real, "2026-05-06")
    assert (refused.value.rule, refused.value.field) == ("time.simulation_only", "OGI_NOW")
    assert "模拟数据库" in str(refused.value)
    with reading(real) as session:
        assert session.exec(select(Case)).first() is None
        assert [e.action for e in session.exec(select(AuditEvent))] == ["user_added"]  # only the real write


def test_simulated_time_never_runs_backwards_users_included(settings):
    with transaction(at(settings, "2020-01-01")) as session:  # a new database sets no floor
        add_user(session, name="r1", roles=["registrar"], now=at(settings, "2020-01-01").now())
    with transaction(at(settings, "2026-05-08")) as session:
        add_user(session, name="h1", roles=["handler"], now=at(settings, "2026-05-08").now())
    with pytest.raises(Refused) as refused:
        _receive(settings, "2026-05-07")
    assert refused.value.rule == "time.no_rewind" and "2026-05-08" in str(refused.value)
    _receive(settings, "2026-05-08")  # the same moment is not earlier


def test_letters_of_a_simulation_are_marked_as_samples(s):
    cid = new_case(s, "2026-05-06")  # registration issues the acknowledgement
    with reading(s) as session:
        letter = letters_of(session, cid)[0]
        html = letter_bytes(session, letter.id or 0, "html")[1].decode()
    assert "样本" in html


# --- 2. service (送达) ----------------------------------------------------------------------------


def _correction_letter(settings: Settings, cid: int) -> int:
    with reading(settings) as session:
        letter = session.exec(select(Letter).where(Letter.case_id == cid, Letter.kind == "correction_notice")).one()
        return letter.id or 0


def test_a_mailed_correction_notice_lapses_from_its_delivery_not_its_posting(s):
    """Posted Monday 5/11; received Friday 5/15 (four days later): the period of 5 working days ends
    on 5/22 instead of 5/18, and nothing lapses before the delivery is recorded."""
    cid = new_case(s, "2026-05-06")
    mailed = _receive(s, "2026-05-06", channel="registered_mail")
    act(s, mailed, "2026-05-07", "register", "r1")
    act(s, mailed, "2026-05-11", "request_correction", "h1", items="请写明年份", period_days="5")
    act(s, cid, "2026-05-11", "request_correction", "h1", items="请写明年份", period_days="5")  # handed over
    assert load(s, mailed).correction_reply_due is None and load(s, mailed).delivery_due == D("2026-05-18")
    assert load(s, cid).correction_reply_due == D("2026-05-18")
    report = sweep(at(s, "2026-05-19"))
    assert [n for n, _ in report.lapses] == [load(s, cid).number]  # only the one handed over
    with pytest.raises(Refused) as refused:
        act(s, mailed, "2026-05-19", "lapse_correction", "h1")
    assert refused.value.rule == "delivery.unconfirmed"
    with reading(s) as session:
        chased = session.exec(select(Escalation).where(Escalation.case_id == mailed)).all()
    assert {(e.deadline, e.level) for e in chased} == {("delivery", "overdue")}
    letter = _correction_letter(s, mailed)
    act(s, mailed, "2026-05-19", "record_delivery", "r1", letter=letter, delivered_on="2026-05-15", proof="挂号回执")
    assert load(s, mailed).correction_reply_due == D("2026-05-22") and load(s, mailed).delivery_due is None
    assert sweep(at(s, "2026-05-22")).lapses == []
    assert [a for _, a in sweep(at(s, "2026-05-25")).lapses] == ["lapse_correction"]
    with reading(s) as session:
        row = session.exec(select(ServiceRecord).where(ServiceRecord.letter_id == letter)).one()
    assert (row.method, row.sent_on, row.delivered_on, row.proof) == (
        "post",
        D("2026-05-11"),
        D("2026-05-15"),
        "挂号回执",
    )


def test_a_delivery_is_recorded_once_for_a_letter_of_the_case_and_not_before_it_was_sent(s):
    cid = _receive(s, "2026-05-06", channel="registered_mail")
    act(s, cid, "2026-05-07", "register", "r1")
    act(s, cid, "2026-05-08", "request_correction", "h1", items="请写明年份")
    letter = _correction_letter(s, cid)
    foreign = letter + 1000
    cases = [
        ({"letter": foreign, "delivered_on": "2026-05-11"}, "delivery.letter_of_case"),
        ({"letter": letter, "delivered_on": "2026-05-07"}, "delivery.after_sent"),
    ]
    for payload, rule in cases:
        with pytest.raises(Refused) as refused:
            act(s, cid, "2026-05-11", "record_delivery", "h1", **payload)
        assert refused.value.rule == rule
    with pytest.raises(InvalidInput) as bad:
        act(s, cid, "2026-05-11", "record_delivery", "h1", letter=letter, delivered_on="2026-05-12")
    assert bad.value.rule == "input.future_date"
    act(s, cid, "2026-05-11", "record_delivery", "h1", letter=letter, delivered_on="2026-05-11", method="post")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-12", "record_delivery", "h1", letter=letter, delivered_on="2026-05-12")
    assert refused.value.rule == "delivery.once"
    out, lines = _explain(s, cid)
    assert out.correction_reply_due is not None and any("申请人2026-05-11（周一）收到" in line for line in lines)


def _explain(settings: Settings, cid: int) -> tuple[Deadlines, list[str]]:
    with reading(settings) as session:
        return deadlines_of(session, load(settings, cid), DEFAULT_RULEBOOK)


# --- 3. receipt per channel (Art. 31) ------------------------------------------------------------


def test_an_unregistered_application_runs_its_clock_is_escalated_and_counted(s):
    cid = _receive(s, "2026-05-06")
    case = load(s, cid)
    assert (case.answer_due, case.registration_due, case.state) == (D("2026-06-02"), D("2026-05-07"), "received")
    sweep(at(s, "2026-05-08"))
    with reading(s) as session:
        levels = {(e.deadline, e.level) for e in session.exec(select(Escalation).where(Escalation.case_id == cid))}
    assert ("registration", "overdue") in levels
    report = annual_report(s, 2026, at(s, "2026-12-31").now())
    assert case.number in report.table3["new"]["total"].cases
    act(s, cid, "2026-05-08", "register", "r1")
    assert load(s, cid).registration_due is None and load(s, cid).answer_due == D("2026-06-02")


def test_a_wrong_receipt_date_is_corrected_only_by_an_approver_with_a_reason(s):
    cid = new_case(s, "2026-05-06")
    with pytest.raises(Forbidden):
        act(s, cid, "2026-05-07", "correct_receipt", "r1", received_on="2026-05-05", reason="收件章有误")
    with pytest.raises(InvalidInput) as missing:
        act(s, cid, "2026-05-07", "correct_receipt", "a1", received_on="2026-05-05")
    assert missing.value.field == "reason"
    act(s, cid, "2026-05-07", "correct_receipt", "a1", received_on="2026-05-05", reason="收件章有误")
    case = load(s, cid)
    assert (case.received_on, case.answer_due) == (D("2026-05-05"), D("2026-06-01"))


# --- 4. Art. 35 --------------------------------------------------------------------------------


def _in_review(settings: Settings) -> int:
    cid = new_case(settings, "2026-05-06")
    act(settings, cid, "2026-05-07", "start_review", "h1")
    return cid


def test_unreasonable_volume_only_after_the_applicant_was_asked_and_did_not_answer(s):
    cid = _in_review(s)
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="unreasonable_volume")
    assert refused.value.rule == "art35.ask_reasons_first"
    act(s, cid, "2026-05-07", "request_reasons", "h1", matter="本月申请45件", reply_days="5")  # handed over
    assert load(s, cid).reasons_due == D("2026-05-13")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-13", "decide", "h1", outcome="unreasonable_volume")
    assert refused.value.rule == "art35.reasons_period_running"
    act(s, cid, "2026-05-14", "decide", "h1", outcome="unreasonable_volume")
    act(s, cid, "2026-05-14", "submit", "h1")
    act(s, cid, "2026-05-14", "approve", "a1")
    with reading(s) as session:
        answer = next(x for x in letters_of(session, cid) if x.kind == "unreasonable_volume")
        html = letter_bytes(session, answer.id or 0, "html")[1].decode()
    assert "未在上述期限内说明理由" in html


def test_reasons_found_reasonable_lead_to_a_later_date_set_by_an_approver(s):
    cid = _in_review(s)
    act(s, cid, "2026-05-07", "request_reasons", "h1", matter="本月申请45件", reply_days="5")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-08", "set_later_date", "a1", answer_due="2026-08-31", reason="档案量大")
    assert refused.value.rule == "art35.later_date_needs_reasonable"
    act(s, cid, "2026-05-08", "record_reasons", "h1", reasonable="yes", note="为课题研究所需")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-08", "decide", "h1", outcome="unreasonable_volume")
    assert refused.value.rule == "art35.reasons_found_reasonable"
    with pytest.raises(Forbidden):
        act(s, cid, "2026-05-08", "set_later_date", "h1", answer_due="2026-08-31", reason="档案量大")
    before = load(s, cid).answer_due
    r = act(s, cid, "2026-05-08", "set_later_date", "a1", answer_due="2026-08-31", reason="档案量大")
    assert r.letter == "later_date_notice" and before is not None and before < D("2026-08-31")
    assert load(s, cid).answer_due == D("2026-08-31")
    _, lines = _explain(s, cid)
    assert any("延迟答复的合理期限至2026-08-31" in line for line in lines)


def test_reasons_found_unreasonable_are_said_so_in_the_answer(s):
    cid = _in_review(s)
    act(s, cid, "2026-05-07", "request_reasons", "h1", matter="本月申请45件", reply_days="5")
    act(s, cid, "2026-05-08", "record_reasons", "h1", reasonable="no")
    act(s, cid, "2026-05-08", "decide", "h1", outcome="unreasonable_volume")
    act(s, cid, "2026-05-08", "submit", "h1")
    act(s, cid, "2026-05-08", "approve", "a1")
    with reading(s) as session:
        answer = next(x for x in letters_of(session, cid) if x.kind == "unreasonable_volume")
        html = letter_bytes(session, answer.id or 0, "html")[1].decode()
    assert "理由不合理" in html and "未在上述期限内说明理由" not in html


# --- 5. Art. 32 ----------------------------------------------------------------------------------


def _objected(settings: Settings, reasonable: str) -> int:
    cid = _in_review(settings)
    act(settings, cid, "2026-05-07", "consult", "h1", party="third_party", addressee="某化工有限公司",
        delivered_on="2026-05-07")  # fmt: skip
    act(settings, cid, "2026-05-12", "record_reply", "h1", opinion="objection", reason="含商业秘密",
        reasonable=reasonable)  # fmt: skip
    act(settings, cid, "2026-05-12", "review_confidentiality", "v1", conclusion="clear")
    return cid


def _kinds(settings: Settings, cid: int) -> list[str]:
    with reading(settings) as session:
        return [x.kind for x in letters_of(session, cid)]


def test_the_third_party_holds_no_letter_after_a_returned_disclosure(s):
    cid = _objected(s, "yes")
    over = {"outcome": "disclosed", "access": "电子邮件", "override_objection": "true", "reason": "涉及公共安全"}
    r = act(s, cid, "2026-05-13", "decide", "h1", **over)
    assert r.letter is None and "disclosure_despite_objection" not in _kinds(s, cid)
    act(s, cid, "2026-05-13", "submit", "h1")
    act(s, cid, "2026-05-13", "return", "a1", comment="应尊重第三方异议")
    act(s, cid, "2026-05-14", "decide", "h1", outcome="withheld", grounds="third_party_rights")
    act(s, cid, "2026-05-14", "submit", "h1")
    act(s, cid, "2026-05-14", "approve", "a1")
    assert "disclosure_despite_objection" not in _kinds(s, cid)


def test_a_disclosure_over_an_objection_is_told_to_the_third_party_on_approval(s):
    cid = _objected(s, "yes")
    over = {"outcome": "disclosed", "access": "电子邮件", "override_objection": "true", "reason": "涉及公共安全"}
    act(s, cid, "2026-05-13", "decide", "h1", **over)
    act(s, cid, "2026-05-13", "submit", "h1")
    r = act(s, cid, "2026-05-13", "approve", "a1")
    assert [x.kind for x in r.letters] == ["disclosed", "disclosure_despite_objection"]


def test_an_objection_without_a_reasonable_ground_needs_reasons_not_the_public_interest(s):
    cid = _objected(s, "no")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-13", "decide", "h1", outcome="disclosed", access="电子邮件")
    assert refused.value.rule == "art32.unreasonable_objection_reason"
    reason = "所称工艺参数已在环评公示中公开，异议不成立"
    act(s, cid, "2026-05-13", "decide", "h1", outcome="disclosed", access="电子邮件", reason=reason)
    act(s, cid, "2026-05-13", "submit", "h1")
    act(s, cid, "2026-05-13", "approve", "a1")
    with reading(s) as session:
        letter = next(x for x in letters_of(session, cid) if x.kind == "disclosure_despite_objection")
        html = letter_bytes(session, letter.id or 0, "html")[1].decode()
    assert "异议不成立" in html


def test_a_server_clock_stepped_back_never_records_a_time_before_the_ledgers_head(real):
    from datetime import UTC, datetime

    from workflow.ledger import audit

    later, earlier = datetime(2026, 11, 29, 8, 0, tzinfo=UTC), datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
    with transaction(real) as session:
        for at in (later, earlier):  # the second as if the server's clock had been set back an hour
            audit.append(session, case_id=None, at=at, actor="system", role="system", action="escalate",
                         from_state=None, to_state=None, payload={})  # fmt: skip
    with reading(real) as session:
        stamps = [e.at for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]
        assert stamps == sorted(stamps) and stamps[-1] == stamps[-2]
        assert audit.verify(session).intact


def test_the_registration_time_is_an_office_setting(s):
    from workflow.admin.office import change_setting

    with transaction(at(s, "2026-05-06")) as session:
        change_setting(session, key="registration_days", value="3", actor="m1", now=at(s, "2026-05-06").now())
    cid = _receive(s, "2026-05-06")
    assert load(s, cid).registration_due == D("2026-05-09")  # 3 working days: 5/7, 5/8, 5/9 (make-up Saturday)
    with transaction(at(s, "2026-05-06")) as session, pytest.raises(InvalidInput):
        change_setting(session, key="registration_days", value="0", actor="m1", now=at(s, "2026-05-06").now())
