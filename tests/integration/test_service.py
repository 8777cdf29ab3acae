"""perform() end to end on SQLite and PostgreSQL: the flow, roles, guards, clock and ledger."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.factories import STAFF_SINCE, act, add_staff, at, new_case
from workflow.admin.users import add_user
from workflow.db import reading, transaction
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from workflow.ledger import audit
from workflow.models import AuditEvent, Case
from workflow.service import perform, receive_application


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def load(settings, case_id: int) -> Case:
    with reading(settings) as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def event_count(settings) -> int:
    with reading(settings) as session:
        return len(list(session.exec(select(AuditEvent))))


def test_full_flow_to_closed(s):
    cid = new_case(s, "2026-05-06")
    case = load(s, cid)
    # 5/6 Wed received; day 1 = 5/7; 5/9 is a make-up Saturday; 20th working day = 6/2.
    assert (case.state, case.answer_due, case.provisional) == ("registered", date(2026, 6, 2), False)
    assert case.correction_notice_due == date(2026, 5, 14)  # 7 WD: 5/7, 5/8, 5/9 (make-up), 5/11..5/14
    steps = [
        ("start_review", "h1", {}),
        ("review_confidentiality", "v1", {"conclusion": "clear"}),
        ("decide", "h1", {"outcome": "disclosed"}),
        ("submit", "h1", {}),
        ("approve", "a1", {}),
        ("close", "h1", {}),
    ]
    states = []
    for action, actor, payload in steps:
        states.append(act(s, cid, "2026-05-11", action, actor, **payload).to_state)
    assert states == ["under_review", "under_review", "drafting", "awaiting_approval", "answered", "closed"]
    case = load(s, cid)
    assert case.version == 1 + 1 + len(steps)
    assert case.answered_on == date(2026, 5, 11) and case.outcome == "disclosed" and case.handler == "h1"
    with reading(s) as session:
        assert [e.action for e in audit.case_events(session, cid)] == ["receive", "register"] + [a for a, _, _ in steps]
        assert audit.verify(session).intact


def test_approve_issues_the_outcome_letter(s):
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="withheld", grounds="state_secret,internal_affairs")
    act(s, cid, "2026-05-07", "submit", "h1")
    result = act(s, cid, "2026-05-08", "approve", "a1")
    assert result.letter == "withheld"
    with reading(s) as session:
        decide = [e for e in audit.case_events(session, cid) if e.action == "decide"][0]
        assert audit.payload_of(decide)["grounds"] == ["internal_affairs", "state_secret"]


def test_role_refusal_writes_nothing(s):
    cid = new_case(s)
    before = (load(s, cid).version, event_count(s))
    with pytest.raises(Forbidden) as err:
        act(s, cid, "2026-05-07", "start_review", "u1")
    assert "承办人" in str(err.value) and err.value.rule == "role.forbidden"
    assert (load(s, cid).version, event_count(s)) == before


def test_illegal_transition_names_the_rule(s):
    cid = new_case(s)
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "approve", "a1")
    assert err.value.rule == "flow.illegal_transition" and "已登记" in err.value.message


def test_unknown_things_are_refused(s):
    cid = new_case(s)
    with pytest.raises(InvalidInput):
        act(s, cid, "2026-05-07", "fly_away", "h1")
    with pytest.raises(NotFound):
        act(s, cid, "2026-05-07", "start_review", "nobody")
    with pytest.raises(NotFound):
        act(s, 9999, "2026-05-07", "start_review", "h1")
    with pytest.raises(InvalidInput) as err:
        act(s, cid, "2026-05-07", "start_review", "h1", colour="red")
    assert err.value.field == "colour"


def test_correction_once_and_within_seven_working_days(s):
    late = new_case(s, "2026-05-06")
    with pytest.raises(Refused) as err:  # 5/15 is the 8th working day after 5/6
        act(s, late, "2026-05-15", "request_correction", "h1", items="请明确年份")
    assert err.value.rule == "art30.correction_within_7_days"
    cid = new_case(s, "2026-05-06")
    r = act(s, cid, "2026-05-14", "request_correction", "h1", items="请明确年份", period_days="10")
    assert r.to_state == "awaiting_correction" and r.letter == "correction_notice"
    case = load(s, cid)
    assert case.answer_due is None and case.clock_state == "awaiting_correction"
    assert case.correction_reply_due == date(2026, 5, 28)  # 10 WD after 5/14: 5/15, 5/18..22, 5/25..28
    act(s, cid, "2026-05-20", "receive_correction", "r1")
    case = load(s, cid)
    # restart: 20 WD after 5/20: 5/21, 5/22 (2), 5/25..29 (7), 6/1..5 (12), 6/8..12 (17), 6/15..17 (20)
    assert case.answer_due == date(2026, 6, 17) and case.state == "registered"
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-21", "request_correction", "h1", items="再次补正")
    assert err.value.rule == "art30.correction_once"


def test_lapse_correction_only_after_the_period(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "request_correction", "h1", items="请明确年份", period_days="5")
    assert load(s, cid).correction_reply_due == date(2026, 5, 13)  # 5/8, 5/9, 5/11, 5/12, 5/13
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-13", "lapse_correction", "system")
    assert err.value.rule == "art30.correction_period_running"
    r = act(s, cid, "2026-05-14", "lapse_correction", "system")
    assert (r.to_state, r.letter) == ("deemed_abandoned", "termination_no_correction")
    assert load(s, cid).correction_reply_due is None


def test_extension_once_by_an_approver_with_reason(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    with pytest.raises(Forbidden):
        act(s, cid, "2026-05-20", "extend", "h1", days="10", reason="需调档")
    with pytest.raises(InvalidInput) as err:
        act(s, cid, "2026-05-20", "extend", "a1", days="10")
    assert err.value.field == "reason"
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-20", "extend", "a1", days="21", reason="需调档")
    assert err.value.rule == "art33.extend_max" and "第三十三条" in str(err.value)
    r = act(s, cid, "2026-05-20", "extend", "a1", days="20", reason="需调档")
    assert r.letter == "extension_notice"
    # 6/2 + 20 counted working days: 6/3..6/5 (3), 6/8..6/12 (8), 6/15..6/18 (12), 6/22..6/26 (17), 6/29,6/30,7/1 (20)
    assert load(s, cid).answer_due == date(2026, 7, 1)
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-21", "extend", "a1", days="5", reason="再延")
    assert err.value.rule == "art33.extend_once"


def test_extension_refused_after_expiry(s):
    cid = new_case(s, "2026-05-06")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-06-03", "extend", "a1", days="5", reason="需调档")
    assert err.value.rule == "art33.extend_before_expiry"


def test_approver_must_not_be_the_submitter(s):
    with transaction(s) as session:
        add_user(session, name="both", roles=["handler", "approver"], now=at(s, STAFF_SINCE).now())
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "both")
    act(s, cid, "2026-05-07", "decide", "both", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "both")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "approve", "both")
    assert err.value.rule == "approval.four_eyes"
    assert act(s, cid, "2026-05-07", "approve", "a1").to_state == "answered"


def test_whoever_decided_at_any_point_may_not_approve(s):
    """Four eyes by person: 'both' decides, the case is returned, h1 re-decides and submits; 'both'
    (handler and approver) is still no second pair of eyes."""
    with transaction(s) as session:
        add_user(session, name="both", roles=["handler", "approver"], now=at(s, STAFF_SINCE).now())
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "both")
    act(s, cid, "2026-05-07", "decide", "both", outcome="not_held")
    act(s, cid, "2026-05-07", "assign", "both", handler="h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "h1")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "approve", "both")
    assert err.value.rule == "approval.four_eyes_person"
    assert act(s, cid, "2026-05-07", "approve", "a1").to_state == "answered"


def test_return_needs_a_comment_and_goes_back_to_drafting(s):
    cid = new_case(s)
    for action, actor, payload in [
        ("start_review", "h1", {}),
        ("decide", "h1", {"outcome": "not_held"}),
        ("submit", "h1", {}),
    ]:
        act(s, cid, "2026-05-07", action, actor, **payload)
    with pytest.raises(InvalidInput):
        act(s, cid, "2026-05-07", "return", "a1")
    assert act(s, cid, "2026-05-07", "return", "a1", comment="理由不充分").to_state == "drafting"


def test_decision_rules(s):
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="disclosed")
    assert err.value.rule == "review.required"
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="withheld")
    assert err.value.rule == "art36.grounds_required"
    with pytest.raises(InvalidInput) as err:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="maybe")
    assert err.value.field == "outcome"
    with pytest.raises(Forbidden):
        act(s, cid, "2026-05-07", "review_confidentiality", "h1", conclusion="clear")
    act(s, cid, "2026-05-07", "review_confidentiality", "v1", conclusion="personal_data")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="disclosed")
    assert err.value.rule == "review.not_clear"
    r = act(s, cid, "2026-05-07", "decide", "h1", outcome="partly_disclosed", grounds="third_party_rights")
    assert r.to_state == "drafting"


def test_consultations_pause_only_for_outsiders_and_all_must_close(s):
    cid = new_case(s, "2026-05-06")  # answer due 6/2
    act(s, cid, "2026-05-07", "start_review", "h1")
    r = act(s, cid, "2026-05-11", "consult", "h1", party="internal_department", addressee="法规科")
    assert r.to_state == "consulting" and r.letter == "assistance_letter"  # 协办函 (issue 16)
    case = load(s, cid)
    assert case.answer_due == date(2026, 6, 2) and case.consultation_due == date(2026, 5, 18)
    r = act(s, cid, "2026-05-12", "consult", "h1", party="third_party", addressee="某公司")
    assert r.letter == "third_party_consultation"
    case = load(s, cid)
    assert case.clock_state == "paused"
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-13", "record_reply", "h1", opinion="consent")
    assert err.value.rule == "consult.which"
    assert act(s, cid, "2026-05-13", "record_reply", "h1", consultation="1", opinion="consent").to_state == "consulting"
    # Third party replies 5/15: 5/12..5/15 (4 working days) are not counted → due moves 6/2 → 6/8.
    r = act(
        s, cid, "2026-05-15", "record_reply", "h1", consultation="2", opinion="objection", reason="商业秘密",
        reasonable="yes",
    )  # fmt: skip
    assert r.to_state == "under_review"
    case = load(s, cid)
    assert (case.answer_due, case.clock_state, case.consultation_due) == (date(2026, 6, 8), "running", None)


def test_consultation_lapses_only_after_its_due_date(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(
        s,
        cid,
        "2026-05-12",
        "consult",
        "h1",
        party="other_agency",
        addressee="市财政局",
        sent_on="2026-05-11",
        delivered_on="2026-05-12",
    )
    case = load(s, cid)
    assert case.consultation_due == date(2026, 6, 2)  # 15 WD after delivery on 5/12
    with pytest.raises(Refused):
        act(s, cid, "2026-06-02", "lapse_consultation", "system")
    r = act(s, cid, "2026-06-05", "lapse_consultation", "system")
    assert r.to_state == "under_review"
    with reading(s) as session:
        lapse = audit.case_events(session, cid)[-1]
        assert audit.payload_of(lapse)["lapsed_on"] == "2026-06-02"  # the pause ends on the due date
    # counted before the pause: 5/7, 5/8, 5/9 (3); paused 5/11..6/2; then 6/3..5 (6), 6/8..12 (11),
    # 6/15..18 (15; 6/19 Dragon Boat), 6/22..26 (20)
    assert load(s, cid).answer_due == date(2026, 6, 26)


def test_fee_notice_pauses_and_unpaid_fee_lapses(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    r = act(s, cid, "2026-05-11", "issue_fee_notice", "h1", method="per_page", pages="100")
    assert r.to_state == "awaiting_fee" and r.letter == "fee_notice"
    with reading(s) as session:
        assert audit.payload_of(audit.case_events(session, cid)[-1])["amount"] == 700
    case = load(s, cid)
    assert case.fee_due == date(2026, 6, 8) and case.clock_state == "paused"  # 20 WD after 5/11
    with pytest.raises(Refused):
        act(s, cid, "2026-06-08", "lapse_fee", "system")
    assert act(s, cid, "2026-06-09", "lapse_fee", "system").to_state == "abandoned_unpaid"


def test_payment_resumes_the_clock(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-11", "issue_fee_notice", "h1", method="per_page", pages="20")
    assert err.value.rule == "fee.nothing_due"
    act(s, cid, "2026-05-11", "issue_fee_notice", "h1", method="per_count", count="11")
    r = act(s, cid, "2026-05-13", "record_payment", "h1")
    assert r.to_state == "drafting"  # the outcome was decided before the fee
    # paused 5/11..5/13 (3 working days): 6/2 → 6/5
    assert load(s, cid).answer_due == date(2026, 6, 5)


def test_withdraw_and_assign(s):
    cid = new_case(s)
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "assign", "r1", handler="v1")
    assert err.value.rule == "assign.handler_role"
    act(s, cid, "2026-05-07", "assign", "r1", handler="h2", department="法规科")
    assert load(s, cid).handler == "h2"
    r = act(s, cid, "2026-05-08", "withdraw", "r1", reason="申请人书面撤回")
    assert r.to_state == "withdrawn"
    assert load(s, cid).clock_state == "stopped"


def test_stale_version_conflicts_and_writes_nothing(s):
    cid = new_case(s)
    version = load(s, cid).version
    perform(cid, "start_review", "h1", {}, version, settings=at(s, "2026-05-07"))
    count = event_count(s)
    with pytest.raises(Conflict):
        perform(cid, "assign", "r1", {"handler": "h2"}, version, settings=at(s, "2026-05-07"))
    assert event_count(s) == count and load(s, cid).handler == "h1"


def test_receive_validates_its_input(s):
    day = at(s, "2026-05-07")
    kwargs = {
        "channel": "in_person",
        "received_on": date(2026, 5, 7),
        "applicant": "李四",
        "applicant_type": "natural_person",
        "request": "请公开",
        "actor": "r1",
    }
    with pytest.raises(InvalidInput) as err:
        receive_application(day, **{**kwargs, "channel": "pigeon"})
    assert err.value.field == "channel"
    with pytest.raises(InvalidInput) as err:
        receive_application(day, **{**kwargs, "received_on": date(2026, 5, 8)})
    assert err.value.rule == "input.future_date"
    with pytest.raises(InvalidInput) as err:
        receive_application(day, **{**kwargs, "id_number": "110105194912310021"})
    assert err.value.field == "id_number"
    with pytest.raises(Forbidden):
        receive_application(day, **{**kwargs, "actor": "v1"})
    case = receive_application(day, **{**kwargs, "id_number": "11010519491231002x"})
    assert case.number.endswith("〔2026〕1号") and case.state == "received"


def test_registration_cannot_move_receipt_and_a_confirmation_fixes_it(s):
    """Art. 31: handed in, received that day (registration cannot move it); by ordinary post,
    received on the day both sides confirm it, never in the future nor before it arrived."""
    cid = new_case(s, "2026-05-06", register=False)
    mail = new_case(s, "2026-05-06", register=False, channel="ordinary_mail")
    assert load(s, cid).answer_due == date(2026, 6, 2)  # the clock runs before registration
    assert (load(s, mail).answer_due, load(s, mail).receipt_confirmed) == (None, False)
    with pytest.raises(InvalidInput) as err:
        act(s, cid, "2026-05-07", "register", "r1", received_on="2026-05-08")
    assert (err.value.rule, err.value.field) == ("input.unknown_field", "received_on")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-07", "confirm_receipt", "r1", method="phone")
    assert refused.value.rule == "art31.no_confirmation"
    with pytest.raises(InvalidInput) as err:
        act(s, mail, "2026-05-07", "confirm_receipt", "r1", confirmed_on="2026-05-08", method="phone")
    assert err.value.rule == "input.future_date"
    with pytest.raises(InvalidInput) as err:
        act(s, mail, "2026-05-07", "confirm_receipt", "r1", confirmed_on="2026-05-01", method="phone")
    assert err.value.rule == "input.before_receipt"
    act(s, mail, "2026-05-11", "confirm_receipt", "r1", confirmed_on="2026-05-08", method="phone")
    act(s, mail, "2026-05-11", "register", "r1")
    case = load(s, mail)
    assert (case.received_on, case.answer_due) == (date(2026, 5, 8), date(2026, 6, 4))  # day 1: make-up Sat 5/9
    with pytest.raises(Refused) as refused:
        act(s, mail, "2026-05-11", "confirm_receipt", "r1", method="phone")
    assert refused.value.rule == "art31.confirmed_once"


def _objected(s) -> int:
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "consult", "h1", party="third_party", addressee="某化工有限公司")
    act(s, cid, "2026-05-12", "record_reply", "h1", opinion="objection", reason="含商业秘密", reasonable="yes")
    act(s, cid, "2026-05-12", "review_confidentiality", "v1", conclusion="clear")
    return cid


def test_a_third_party_objection_cannot_be_ignored(s):
    cid = _objected(s)
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-13", "decide", "h1", outcome="disclosed", access="电子邮件")
    assert err.value.rule == "art32.objection_on_record"
    with pytest.raises(Refused) as err:  # withholding on another ground does not answer the objection
        act(s, cid, "2026-05-13", "decide", "h1", outcome="partly_disclosed", grounds="internal_affairs", access="邮件")
    assert err.value.rule == "art32.objection_on_record"
    partly = {"outcome": "partly_disclosed", "grounds": "third_party_rights", "access": "电子邮件"}
    assert act(s, cid, "2026-05-13", "decide", "h1", **partly).to_state == "drafting"


def test_a_later_review_finding_a_secret_stops_the_disclosure(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "review_confidentiality", "v1", conclusion="clear")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="disclosed", access="电子邮件")
    act(s, cid, "2026-05-08", "review_confidentiality", "v1", conclusion="state_secret")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-08", "submit", "h1")
    assert err.value.rule == "review.not_clear"
    act(s, cid, "2026-05-08", "decide", "h1", outcome="withheld", grounds="state_secret")
    act(s, cid, "2026-05-08", "submit", "h1")
    assert act(s, cid, "2026-05-08", "approve", "a1").letter == "withheld"


def test_a_backdated_sent_on_does_not_beat_a_time_limit(s):
    cid = new_case(s, "2026-05-06")  # correction notice due 5/14 (7 working days)
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-15", "request_correction", "h1", items="请写明年份", sent_on="2026-05-14")
    assert err.value.rule == "art30.correction_within_7_days"
    late = new_case(s, "2026-05-06")  # answer due 6/2
    act(s, late, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "start_review", "h1")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "issue_fee_notice", "h1", method="per_page", pages="100", count="3")
    assert err.value.rule == "fee.one_method"
    with pytest.raises(Refused) as err:
        act(s, late, "2026-06-03", "consult", "h1", party="third_party", addressee="某公司", sent_on="2026-06-01")
    assert err.value.rule == "art33.consult_within_answer_period"
    internal = {"party": "internal_department", "addressee": "法规科"}  # never pauses, so still allowed
    assert act(s, late, "2026-06-03", "consult", "h1", **internal).to_state == "consulting"


def test_a_case_lands_in_its_handlers_department(s):
    with transaction(s) as session:
        add_user(session, name="法规科小周", roles=["handler"], now=at(s, STAFF_SINCE).now(), department="法规科")
        add_user(session, name="信息科小吴", roles=["handler"], now=at(s, STAFF_SINCE).now(), department="信息科")
    taken, assigned, chosen = (new_case(s, "2026-05-06") for _ in range(3))
    act(s, taken, "2026-05-07", "start_review", "法规科小周")
    act(s, assigned, "2026-05-07", "assign", "r1", handler="信息科小吴")
    act(s, chosen, "2026-05-07", "assign", "r1", handler="信息科小吴", department="办公室")
    with reading(s) as session:
        departments = [session.get(Case, cid).department for cid in (taken, assigned, chosen)]
        recorded = [e for e in audit.case_events(session, assigned) if e.action == "assign"][0]
    assert departments == ["法规科", "信息科", "办公室"]
    assert audit.payload_of(recorded)["department"] == "信息科"  # the placement is in the ledger


def test_a_per_count_fee_counts_the_applicants_applications_this_month(s):
    cases = []
    for day in ["2026-04-30"] + [f"2026-05-{d:02d}" for d in (6, 6, 7, 7, 8, 8, 11, 11, 12, 12, 13)]:
        case = receive_application(
            at(s, day),
            channel="online",
            received_on=date.fromisoformat(day),
            applicant="赵六",
            applicant_type="natural_person",
            request="请公开某文件",
            actor="r1",
            id_number="11010519491231002X",
        )
        perform(case.id, "register", "r1", settings=at(s, day))
        cases.append(case.id)
    eleventh = cases[-1]  # the applicant's 11th in May (the April one does not count)
    act(s, eleventh, "2026-05-13", "start_review", "h1")
    with pytest.raises(Refused) as err:
        act(s, eleventh, "2026-05-13", "issue_fee_notice", "h1", method="per_count", count="5")
    assert err.value.rule == "fee.count_below_register"
    act(s, eleventh, "2026-05-13", "issue_fee_notice", "h1", method="per_count")
    with reading(s) as session:
        notice = [e for e in audit.case_events(session, eleventh) if e.action == "issue_fee_notice"][0]
    recorded = audit.payload_of(notice)
    assert (recorded["count"], recorded["count_in_register"], recorded["amount"]) == (11, 11, 100)
    first = cases[1]
    act(s, first, "2026-05-13", "start_review", "h1")
    with pytest.raises(Refused) as err:  # the first of the month is free
        act(s, first, "2026-05-13", "issue_fee_notice", "h1", method="per_count")
    assert err.value.rule == "fee.nothing_due"


def test_only_a_third_partys_objection_calls_for_article_32(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "consult", "h1", party="internal_department", addressee="法规科")
    act(s, cid, "2026-05-08", "record_reply", "h1", opinion="objection", reason="建议暂缓")
    act(s, cid, "2026-05-08", "review_confidentiality", "v1", conclusion="clear")
    assert act(s, cid, "2026-05-08", "decide", "h1", outcome="disclosed", access="电子邮件").to_state == "drafting"
    with pytest.raises(Refused) as err:  # nothing to override
        act(s, cid, "2026-05-08", "decide", "h1", outcome="disclosed", access="邮件", override_objection="true")
    assert err.value.rule == "art32.no_objection"
