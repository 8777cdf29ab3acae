"""The flow as data: every (state, action) pair, roles, guards and the diagram. Pure, no database."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

import states
from states import (
    ACTIONS,
    DEFAULT_RULEBOOK,
    STATE_LABELS,
    TERMINAL_STATES,
    Action,
    CaseState,
    IllegalMove,
    Role,
    allowed_actions,
    fire,
    mermaid_diagram,
)
from states.guards import (
    CONDITIONS,
    ConsultationFact,
    GuardContext,
    check_guards,
    closes_last_consultation,
    has_outcome,
)
from states.machine import _machine, transition_table

S = CaseState
A = Action
D = date.fromisoformat

ALL_PAIRS = [(s, a) for s in CaseState for a in Action]

# ---------------------------------------------------------------------------
# The flow, written out by hand from ogi-rules.md and the lifecycle's docstrings, independently of
# ACTIONS: action -> (source states, destination or None for "stays", (condition, alternative)).
ACTIVE = {
    S.REGISTERED,
    S.AWAITING_CORRECTION,
    S.UNDER_REVIEW,
    S.CONSULTING,
    S.AWAITING_FEE,
    S.DRAFTING,
    S.AWAITING_APPROVAL,
}
CLOCKED = ACTIVE - {S.AWAITING_CORRECTION}
EXPECTED_FLOW: dict[Action, tuple[set[CaseState], CaseState | None, tuple[str, CaseState] | None]] = {
    A.REGISTER: ({S.RECEIVED}, S.REGISTERED, None),
    A.REQUEST_CORRECTION: ({S.REGISTERED, S.UNDER_REVIEW}, S.AWAITING_CORRECTION, None),
    A.RECEIVE_CORRECTION: ({S.AWAITING_CORRECTION}, S.REGISTERED, None),
    A.LAPSE_CORRECTION: ({S.AWAITING_CORRECTION}, S.DEEMED_ABANDONED, None),
    A.START_REVIEW: ({S.REGISTERED}, S.UNDER_REVIEW, None),
    A.REVIEW_CONFIDENTIALITY: ({S.UNDER_REVIEW, S.CONSULTING, S.DRAFTING}, None, None),
    A.CONSULT: ({S.UNDER_REVIEW, S.CONSULTING}, S.CONSULTING, None),
    A.RECORD_REPLY: ({S.CONSULTING}, S.CONSULTING, ("closes_last_consultation", S.UNDER_REVIEW)),
    A.LAPSE_CONSULTATION: ({S.CONSULTING}, S.CONSULTING, ("closes_last_consultation", S.UNDER_REVIEW)),
    A.ISSUE_FEE_NOTICE: ({S.UNDER_REVIEW, S.DRAFTING}, S.AWAITING_FEE, None),
    A.RECORD_PAYMENT: ({S.AWAITING_FEE}, S.UNDER_REVIEW, ("has_outcome", S.DRAFTING)),
    A.LAPSE_FEE: ({S.AWAITING_FEE}, S.ABANDONED_UNPAID, None),
    A.EXTEND: (CLOCKED, None, None),
    A.DECIDE: ({S.UNDER_REVIEW, S.DRAFTING}, S.DRAFTING, None),
    A.SUBMIT: ({S.DRAFTING}, S.AWAITING_APPROVAL, None),
    A.APPROVE: ({S.AWAITING_APPROVAL}, S.ANSWERED, None),
    A.RETURN: ({S.AWAITING_APPROVAL}, S.DRAFTING, None),
    A.CLOSE: ({S.ANSWERED}, S.CLOSED, None),
    A.WITHDRAW: ({S.RECEIVED} | ACTIVE, S.WITHDRAWN, None),
    A.ASSIGN: ({S.RECEIVED, S.ANSWERED} | ACTIVE, None, None),
    A.REQUEST_REASONS: ({S.UNDER_REVIEW}, None, None),  # Art. 35: ask for reasons, case stays under review
    A.RECORD_REASONS: ({S.UNDER_REVIEW}, None, None),
    A.SET_LATER_DATE: ({S.UNDER_REVIEW, S.CONSULTING, S.AWAITING_FEE, S.DRAFTING}, None, None),
    A.CONFIRM_RECEIPT: ({S.RECEIVED, S.REGISTERED}, None, None),  # Art. 31(2)-(3)
    A.CORRECT_RECEIPT: ({S.RECEIVED} | ACTIVE, None, None),
    # Service of a letter is recorded whenever it is known, even after the case has ended (the
    # termination notice of an abandoned case starts the applicant's remedy periods).
    A.RECORD_DELIVERY: (set(CaseState), None, None),
}


def test_expected_flow_covers_every_action() -> None:
    assert set(EXPECTED_FLOW) == set(Action)
    assert len(CaseState) == 13


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_actions_table_matches_the_flow_written_by_hand(action: Action) -> None:
    sources, dest, alt = EXPECTED_FLOW[action]
    spec = ACTIONS[action]
    assert set(spec.sources) == sources
    assert len(spec.sources) == len(sources)  # no duplicates
    assert spec.dest == dest
    assert spec.alt_dest == alt


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS, ids=[f"{s}-{a}" for s, a in ALL_PAIRS])
def test_fire_every_pair(state: CaseState, action: Action) -> None:
    spec = ACTIONS[action]
    if state not in spec.sources:
        with pytest.raises(IllegalMove) as info:
            fire(state, action, {})
        assert info.value.state is state
        assert info.value.action is action
        assert "flow.illegal_transition" in str(info.value)
        assert STATE_LABELS[state] in str(info.value)
        return
    expected = spec.dest if spec.dest is not None else state
    # with no conditions, and with every condition explicitly False, the default branch is taken
    assert fire(state, action) is expected
    assert fire(state, action, dict.fromkeys(CONDITIONS, False)) is expected
    if spec.alt_dest is not None:
        cond, alt = spec.alt_dest
        assert fire(state, action, {cond: True}) is alt
        others = {c: True for c in CONDITIONS if c != cond}
        assert fire(state, action, others) is expected  # an unrelated condition changes nothing
    else:
        # conditions that belong to other actions are ignored
        assert fire(state, action, dict.fromkeys(CONDITIONS, True)) is expected


@pytest.mark.parametrize(
    ("state", "action", "conditions", "expected"),
    [
        (S.RECEIVED, A.REGISTER, {}, S.REGISTERED),
        (S.REGISTERED, A.REQUEST_CORRECTION, {}, S.AWAITING_CORRECTION),
        (S.UNDER_REVIEW, A.REQUEST_CORRECTION, {}, S.AWAITING_CORRECTION),
        (S.AWAITING_CORRECTION, A.RECEIVE_CORRECTION, {}, S.REGISTERED),
        (S.AWAITING_CORRECTION, A.LAPSE_CORRECTION, {}, S.DEEMED_ABANDONED),
        (S.CONSULTING, A.RECORD_REPLY, {"closes_last_consultation": True}, S.UNDER_REVIEW),
        (S.CONSULTING, A.RECORD_REPLY, {"closes_last_consultation": False}, S.CONSULTING),
        (S.CONSULTING, A.LAPSE_CONSULTATION, {"closes_last_consultation": True}, S.UNDER_REVIEW),
        (S.CONSULTING, A.LAPSE_CONSULTATION, {}, S.CONSULTING),
        (S.AWAITING_FEE, A.RECORD_PAYMENT, {"has_outcome": True}, S.DRAFTING),
        (S.AWAITING_FEE, A.RECORD_PAYMENT, {"has_outcome": False}, S.UNDER_REVIEW),
        (S.AWAITING_FEE, A.LAPSE_FEE, {}, S.ABANDONED_UNPAID),
        (S.AWAITING_FEE, A.EXTEND, {}, S.AWAITING_FEE),
        (S.CONSULTING, A.REVIEW_CONFIDENTIALITY, {}, S.CONSULTING),
        (S.DRAFTING, A.DECIDE, {}, S.DRAFTING),
        (S.AWAITING_APPROVAL, A.RETURN, {}, S.DRAFTING),
        (S.AWAITING_APPROVAL, A.APPROVE, {}, S.ANSWERED),
        (S.ANSWERED, A.CLOSE, {}, S.CLOSED),
        (S.ANSWERED, A.ASSIGN, {}, S.ANSWERED),
        (S.RECEIVED, A.WITHDRAW, {}, S.WITHDRAWN),
        (S.AWAITING_CORRECTION, A.WITHDRAW, {}, S.WITHDRAWN),
    ],
)
def test_fire_spot_checks(state: CaseState, action: Action, conditions: dict[str, bool], expected: CaseState) -> None:
    assert fire(state, action, conditions) is expected


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.AWAITING_CORRECTION, A.EXTEND),  # the clock is not running while awaiting correction
        (S.ANSWERED, A.WITHDRAW),
        (S.RECEIVED, A.REQUEST_CORRECTION),  # register first: registration fixes the receipt date
        (S.REGISTERED, A.CONSULT),
        (S.AWAITING_APPROVAL, A.DECIDE),
        (S.DRAFTING, A.APPROVE),  # submit before approval
        (S.UNDER_REVIEW, A.LAPSE_CONSULTATION),
    ],
)
def test_fire_refuses_spot_checks(state: CaseState, action: Action) -> None:
    with pytest.raises(IllegalMove):
        fire(state, action)


def test_terminal_states() -> None:
    assert TERMINAL_STATES == {S.CLOSED, S.WITHDRAWN, S.DEEMED_ABANDONED, S.ABANDONED_UNPAID}


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES), ids=str)
def test_terminal_states_allow_no_action(state: CaseState) -> None:
    """Nothing changes an ended case but recording how its letters were served."""
    assert allowed_actions(state) == [A.RECORD_DELIVERY]
    for action in Action:
        if action is A.RECORD_DELIVERY:
            assert fire(state, action) is state
            continue
        with pytest.raises(IllegalMove):
            fire(state, action)


@pytest.mark.parametrize("state", [s for s in CaseState if s not in TERMINAL_STATES], ids=str)
def test_non_terminal_states_allow_some_action(state: CaseState) -> None:
    assert allowed_actions(state) == [a for a in Action if state in EXPECTED_FLOW[a][0]]
    assert allowed_actions(state)


def test_allowed_actions_examples() -> None:
    assert allowed_actions(S.RECEIVED) == [
        A.REGISTER,
        A.CONFIRM_RECEIPT,
        A.CORRECT_RECEIPT,
        A.WITHDRAW,
        A.ASSIGN,
        A.RECORD_DELIVERY,
    ]
    assert allowed_actions(S.AWAITING_CORRECTION) == [
        A.CORRECT_RECEIPT,
        A.RECEIVE_CORRECTION,
        A.LAPSE_CORRECTION,
        A.WITHDRAW,
        A.ASSIGN,
        A.RECORD_DELIVERY,
    ]
    assert allowed_actions(S.ANSWERED) == [A.CLOSE, A.ASSIGN, A.RECORD_DELIVERY]


# ---------------------------------------------------------------------------
# No auto transitions


def test_transition_table_triggers_are_exactly_the_actions() -> None:
    table = transition_table()
    assert {t["trigger"] for t in table} == {a.value for a in Action}
    assert not any(t["trigger"].startswith("to_") for t in table)
    # one row per action, plus one per alternative destination
    assert len(table) == len(Action) + sum(1 for s in ACTIONS.values() if s.alt_dest is not None)
    # the conditional alternative is listed before its default
    for action, spec in ACTIONS.items():
        rows = [t for t in table if t["trigger"] == action.value]
        if spec.alt_dest is not None:
            assert rows[0]["dest"] == spec.alt_dest[1].value
            assert [c.__name__ for c in rows[0]["conditions"]] == [spec.alt_dest[0]]
            assert "conditions" not in rows[1]
        assert rows[-1]["dest"] == (spec.dest.value if spec.dest is not None else None)


def test_machine_has_no_auto_transitions() -> None:
    machine, shared = _machine()
    assert not hasattr(shared, "to_closed")
    assert set(machine.events) == {a.value for a in Action}
    assert "to_closed" not in machine.events

    class Token:
        pass

    token = Token()
    machine.add_model(token, initial=S.REGISTERED.value)
    try:
        assert not hasattr(token, "to_closed")
        with pytest.raises(AttributeError):
            token.trigger("to_closed")  # type: ignore[attr-defined]
        assert token.state == "registered"  # type: ignore[attr-defined]
    finally:
        machine.remove_model(token)
    with pytest.raises(ValueError):
        Action("to_closed")


# ---------------------------------------------------------------------------
# Labels and roles

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("state", list(CaseState), ids=str)
def test_every_state_has_a_chinese_label(state: CaseState) -> None:
    assert CJK.search(STATE_LABELS[state])


def test_state_labels_are_distinct() -> None:
    assert set(STATE_LABELS) == set(CaseState)
    assert len(set(STATE_LABELS.values())) == len(CaseState)


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_every_action_has_a_role_and_a_chinese_label(action: Action) -> None:
    spec = ACTIONS[action]
    assert len(spec.roles) >= 1
    assert CJK.search(spec.label)


LAPSES = {A.LAPSE_CORRECTION, A.LAPSE_CONSULTATION, A.LAPSE_FEE}


def test_system_role_only_on_lapse_actions() -> None:
    assert {a for a, spec in ACTIONS.items() if Role.SYSTEM in spec.roles} == LAPSES


@pytest.mark.parametrize("action", sorted(LAPSES), ids=str)
def test_lapses_may_also_be_taken_by_a_handler(action: Action) -> None:
    assert ACTIONS[action].roles == {Role.SYSTEM, Role.HANDLER}


@pytest.mark.parametrize(
    ("action", "roles"),
    [
        (A.EXTEND, {Role.APPROVER}),
        (A.APPROVE, {Role.APPROVER}),
        (A.RETURN, {Role.APPROVER}),
        (A.REVIEW_CONFIDENTIALITY, {Role.REVIEWER}),
        (A.REGISTER, {Role.REGISTRAR}),
        (A.DECIDE, {Role.HANDLER}),
        (A.SUBMIT, {Role.HANDLER}),
    ],
)
def test_exclusive_roles(action: Action, roles: set[Role]) -> None:
    assert ACTIONS[action].roles == roles


def test_reviewer_only_reviews_and_auditor_does_nothing() -> None:
    assert [a for a, s in ACTIONS.items() if Role.REVIEWER in s.roles] == [A.REVIEW_CONFIDENTIALITY]
    assert [a for a, s in ACTIONS.items() if Role.AUDITOR in s.roles] == []


def test_public_api_exports() -> None:
    for name in states.__all__:
        assert hasattr(states, name)


# ---------------------------------------------------------------------------
# Guards

CONSULT_1 = ConsultationFact(1, "third_party", "某公司", D("2026-03-10"), D("2026-04-02"), True)
CONSULT_2 = ConsultationFact(2, "other_agency", "市财政局", D("2026-03-12"), D("2026-04-03"), True)
INTERNAL = ConsultationFact(3, "internal_department", "办公室", D("2026-03-10"), D("2026-03-17"), True)
CLOSED_1 = replace(CONSULT_1, open=False)


def ctx(action: Action, payload: dict[str, Any] | None = None, **kw: Any) -> GuardContext:
    kw.setdefault("actor", "alice")
    kw.setdefault("today", D("2026-03-10"))
    return GuardContext(action=action, payload=payload or {}, rulebook=DEFAULT_RULEBOOK, **kw)


def rule(c: GuardContext) -> str | None:
    refusal = check_guards(c)
    if refusal is not None:
        assert refusal.message
        assert str(refusal).endswith(f"（规则 {refusal.rule}）")
    return refusal.rule if refusal else None


CORRECTION = [
    # (payload, context, expected rule)
    ({"items": "x"}, {"correction_requests": 1, "correction_notice_due": D("2026-03-11")}, "art30.correction_once"),
    (
        {"items": "x", "sent_on": D("2026-03-12")},
        {"correction_notice_due": D("2026-03-11")},
        "art30.correction_within_7_days",
    ),
    ({"items": "x", "sent_on": D("2026-03-11")}, {"correction_notice_due": D("2026-03-11")}, None),  # last day
    ({"items": "x", "sent_on": D("2026-03-03")}, {"correction_notice_due": D("2026-03-11")}, None),
    # without sent_on the notice goes out today
    (
        {"items": "x"},
        {"today": D("2026-03-12"), "correction_notice_due": D("2026-03-11")},
        "art30.correction_within_7_days",
    ),
    ({"items": "x"}, {"today": D("2026-03-11"), "correction_notice_due": D("2026-03-11")}, None),
    (
        {"items": "x", "sent_on": D("2026-03-05"), "delivered_on": D("2026-03-04")},
        {"correction_notice_due": D("2026-03-11")},
        "dates.delivered_after_sent",
    ),
    (
        {"items": "x", "sent_on": D("2026-03-05"), "delivered_on": D("2026-03-05")},
        {"correction_notice_due": D("2026-03-11")},
        None,
    ),
]


@pytest.mark.parametrize(("payload", "kw", "expected"), CORRECTION)
def test_request_correction_guard(payload: dict[str, Any], kw: dict[str, Any], expected: str | None) -> None:
    assert rule(ctx(A.REQUEST_CORRECTION, payload, **kw)) == expected


def test_request_correction_message_names_the_deadline() -> None:
    refusal = check_guards(
        ctx(A.REQUEST_CORRECTION, {"sent_on": D("2026-03-12")}, correction_notice_due=D("2026-03-11"))
    )
    assert refusal is not None
    assert "2026-03-11" in refusal.message and "7个工作日" in refusal.message


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"received_on": D("2026-03-04")}, "art30.correction_after_notice"),
        ({"received_on": D("2026-03-05")}, None),
        ({}, None),  # today (2026-03-10) is after the notice
    ],
)
def test_receive_correction_guard(payload: dict[str, Any], expected: str | None) -> None:
    assert rule(ctx(A.RECEIVE_CORRECTION, payload, correction_sent_on=D("2026-03-05"))) == expected


@pytest.mark.parametrize(
    ("today", "due", "expected"),
    [
        (D("2026-03-19"), D("2026-03-20"), "art30.correction_period_running"),
        (D("2026-03-20"), D("2026-03-20"), "art30.correction_period_running"),  # the last day still runs
        (D("2026-03-21"), D("2026-03-20"), None),
        (D("2026-03-21"), None, "art30.correction_period_running"),
    ],
)
def test_lapse_correction_guard(today: date, due: date | None, expected: str | None) -> None:
    assert rule(ctx(A.LAPSE_CORRECTION, today=today, correction_reply_due=due)) == expected


EXTEND_OK = {"days": 20, "reason": "需要检索档案"}
EXTENSION = [
    (EXTEND_OK, {"extension_used": True}, "art33.extend_once"),
    (EXTEND_OK, {"answer_due": None}, "art33.extend_needs_running_clock"),
    (EXTEND_OK, {"today": D("2026-03-31")}, "art33.extend_before_expiry"),
    (EXTEND_OK, {"today": D("2026-03-30")}, None),  # on the last day of the period: still in time
    ({"days": 21, "reason": "x"}, {}, "art33.extend_max"),
    ({"days": 1, "reason": "x"}, {}, None),
    ({"days": 10}, {}, "art33.extend_reason"),
    ({"days": 10, "reason": "   "}, {}, "art33.extend_reason"),
    ({"days": 10, "reason": ""}, {}, "art33.extend_reason"),
]


@pytest.mark.parametrize(("payload", "kw", "expected"), EXTENSION)
def test_extend_guard(payload: dict[str, Any], kw: dict[str, Any], expected: str | None) -> None:
    kw = {"answer_due": D("2026-03-30"), **kw}
    assert rule(ctx(A.EXTEND, payload, **kw)) == expected


def test_extend_max_follows_the_rulebook() -> None:
    c = GuardContext(
        action=A.EXTEND,
        actor="a",
        today=D("2026-03-10"),
        payload={"days": 11, "reason": "x"},
        rulebook=replace(DEFAULT_RULEBOOK, extension_max_days=10),
        answer_due=D("2026-03-30"),
    )
    assert rule(c) == "art33.extend_max"


@pytest.mark.parametrize(
    ("actor", "submitted_by", "expected"),
    [("alice", "alice", "approval.four_eyes"), ("bob", "alice", None), ("alice", None, None)],
)
def test_approve_guard(actor: str, submitted_by: str | None, expected: str | None) -> None:
    assert rule(ctx(A.APPROVE, actor=actor, submitted_by=submitted_by)) == expected


@pytest.mark.parametrize(
    ("actor", "makers", "expected"),
    [("carol", {"alice"}, "approval.four_eyes_person"), ("carol", {"alice", "carol"}, "approval.four_eyes_person")],
)
def test_approver_who_decided_earlier_is_refused_by_person(actor: str, makers: set[str], expected: str) -> None:
    # carol decided once (then bob re-decided and alice submitted): she is not a second pair of eyes
    got = rule(ctx(A.APPROVE, actor=actor, submitted_by="alice", decision_makers=frozenset(makers | {"carol"})))
    assert got == expected
    assert rule(ctx(A.APPROVE, actor="dave", submitted_by="alice", decision_makers=frozenset(makers))) is None


SECRET = ["state_secret"]
DECISIONS = [
    # (payload, context, expected rule)
    ({"outcome": "withheld"}, {}, "art36.grounds_required"),
    ({"outcome": "withheld", "grounds": []}, {}, "art36.grounds_required"),
    ({"outcome": "withheld", "grounds": SECRET}, {}, None),  # withholding needs no review
    ({"outcome": "partly_disclosed"}, {"review_conclusion": "clear"}, "art36.grounds_required"),
    ({"outcome": "partly_disclosed", "grounds": SECRET}, {}, "review.required"),
    ({"outcome": "partly_disclosed", "grounds": SECRET}, {"review_conclusion": "personal_data"}, None),
    ({"outcome": "disclosed", "grounds": SECRET}, {"review_conclusion": "clear"}, "art36.grounds_only_for_withholding"),
    ({"outcome": "not_held", "grounds": SECRET}, {}, "art36.grounds_only_for_withholding"),
    ({"outcome": "disclosed"}, {}, "review.required"),
    ({"outcome": "disclosed"}, {"review_conclusion": "personal_data"}, "review.not_clear"),
    ({"outcome": "disclosed"}, {"review_conclusion": "state_secret"}, "review.not_clear"),
    ({"outcome": "disclosed"}, {"review_conclusion": "third_party"}, "review.not_clear"),
    ({"outcome": "disclosed"}, {"review_conclusion": "clear"}, None),
    ({"outcome": "already_public"}, {}, None),
    ({"outcome": "not_this_agency"}, {}, "art36_5.reason_required"),
    ({"outcome": "not_this_agency", "reason": ""}, {}, "art36_5.reason_required"),
    ({"outcome": "not_this_agency", "responsible_agency": "市市场监管局"}, {}, None),
    ({"outcome": "not_this_agency", "reason": "属于市场监管部门职责"}, {}, None),
    ({"outcome": "still_unclear"}, {}, "art30.unclear_needs_correction"),
    ({"outcome": "still_unclear"}, {"correction_requests": 1}, None),
    (
        {"outcome": "disclosed", "override_objection": True, "reason": "公共利益"},
        {"review_conclusion": "clear"},
        "art32.no_objection",
    ),
    (
        {"outcome": "withheld", "grounds": SECRET, "override_objection": True, "reason": "x"},
        {"objection_on_record": True},
        "art32.override_discloses",
    ),
    (
        {"outcome": "disclosed", "override_objection": True},
        {"review_conclusion": "clear", "objection_on_record": True},
        "art32.override_reason",
    ),
    (
        {"outcome": "disclosed", "override_objection": True, "reason": "重大公共利益"},
        {"review_conclusion": "clear", "objection_on_record": True},
        None,
    ),
    (
        {"outcome": "disclosed", "override_objection": False},
        {"review_conclusion": "clear", "objection_on_record": False},
        None,
    ),
    (
        {"outcome": "disclosed", "override_objection": True, "override_reason": "重大公共利益"},
        {"review_conclusion": "clear", "objection_on_record": True},
        None,
    ),
    # In a partial disclosure `reason` explains the withheld part: the public-interest reason is its own field.
    (
        {"outcome": "partly_disclosed", "grounds": SECRET, "override_objection": True, "reason": "涉及国家秘密"},
        {"review_conclusion": "clear", "objection_on_record": True},
        "art32.override_reason",
    ),
    (
        {
            "outcome": "partly_disclosed",
            "grounds": SECRET,
            "override_objection": True,
            "reason": "涉及国家秘密",
            "override_reason": "涉及周边居民环境安全",
        },
        {"review_conclusion": "clear", "objection_on_record": True},
        None,
    ),
]


@pytest.mark.parametrize(("payload", "kw", "expected"), DECISIONS)
def test_decide_guard(payload: dict[str, Any], kw: dict[str, Any], expected: str | None) -> None:
    assert rule(ctx(A.DECIDE, payload, **kw)) == expected


@pytest.mark.parametrize(
    ("payload", "consultations", "today", "expected"),
    [
        ({}, (CONSULT_1,), D("2026-04-01"), "art32.reply_period_running"),
        ({}, (CONSULT_1,), D("2026-04-02"), "art32.reply_period_running"),  # the reply due day still runs
        ({}, (CONSULT_1,), D("2026-04-03"), None),
        ({}, (INTERNAL,), D("2026-06-01"), "consult.internal_no_lapse"),
        ({"consultation": 3}, (CONSULT_1, INTERNAL), D("2026-06-01"), "consult.internal_no_lapse"),
        ({}, (CONSULT_1, CONSULT_2), D("2026-06-01"), "consult.which"),
        ({"consultation": 2}, (CONSULT_1, CONSULT_2), D("2026-04-03"), "art32.reply_period_running"),
        ({"consultation": 2}, (CONSULT_1, CONSULT_2), D("2026-04-04"), None),
        ({}, (), D("2026-06-01"), "consult.not_open"),
        ({}, (CLOSED_1,), D("2026-06-01"), "consult.not_open"),
        ({"consultation": 9}, (CONSULT_1,), D("2026-06-01"), "consult.not_open"),
    ],
)
def test_lapse_consultation_guard(
    payload: dict[str, Any], consultations: tuple[ConsultationFact, ...], today: date, expected: str | None
) -> None:
    assert rule(ctx(A.LAPSE_CONSULTATION, payload, today=today, consultations=consultations)) == expected


REPLY_OK = {"opinion": "consent", "received_on": D("2026-03-16")}


@pytest.mark.parametrize(
    ("payload", "consultations", "expected"),
    [
        (REPLY_OK, (CONSULT_1, CONSULT_2), "consult.which"),
        ({**REPLY_OK, "consultation": 1}, (CONSULT_1, CONSULT_2), None),
        (REPLY_OK, (CONSULT_1, INTERNAL), "consult.which"),
        (REPLY_OK, (CONSULT_1, CONSULT_2, INTERNAL), "consult.which"),
        (REPLY_OK, (CONSULT_1,), None),
        (REPLY_OK, (CLOSED_1, CONSULT_2), None),  # only one open: it is the one
        ({**REPLY_OK, "consultation": 1}, (CLOSED_1, CONSULT_2), "consult.not_open"),
        (REPLY_OK, (), "consult.not_open"),
        ({**REPLY_OK, "received_on": D("2026-03-09")}, (CONSULT_1,), "dates.reply_after_sent"),
        ({**REPLY_OK, "received_on": D("2026-03-10")}, (CONSULT_1,), None),
        ({"opinion": "objection", "received_on": D("2026-03-16")}, (CONSULT_1,), "art32.objection_reason"),
        (
            {"opinion": "objection", "reason": "商业秘密", "received_on": D("2026-03-16")},
            (CONSULT_1,),
            "art32.objection_reasonable",
        ),
        (
            {"opinion": "objection", "reason": "商业秘密", "reasonable": "no", "received_on": D("2026-03-16")},
            (CONSULT_1,),
            None,
        ),
    ],
)
def test_record_reply_guard(
    payload: dict[str, Any], consultations: tuple[ConsultationFact, ...], expected: str | None
) -> None:
    assert rule(ctx(A.RECORD_REPLY, payload, today=D("2026-03-20"), consultations=consultations)) == expected


def test_consult_which_lists_the_open_ones() -> None:
    refusal = check_guards(ctx(A.RECORD_REPLY, REPLY_OK, consultations=(CONSULT_1, CONSULT_2)))
    assert refusal is not None
    assert "1、2" in refusal.message


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"party": "third_party", "sent_on": D("2026-03-10"), "delivered_on": D("2026-03-09")},
            "dates.delivered_after_sent",
        ),
        ({"party": "third_party", "sent_on": D("2026-03-10"), "delivered_on": D("2026-03-10")}, None),
        ({"party": "third_party"}, None),
    ],
)
def test_consult_guard(payload: dict[str, Any], expected: str | None) -> None:
    assert rule(ctx(A.CONSULT, payload)) == expected


FEE = [
    ({"method": "per_page", "pages": 120}, {"fee_notices": 1}, "fee.once"),
    ({"method": "per_count", "count": 12}, {"fee_notices": 1}, "fee.once"),
    ({"method": "per_page"}, {}, "fee.pages_required"),
    ({"method": "per_page", "pages": 0}, {}, "fee.pages_required"),
    ({"method": "per_count"}, {}, "fee.count_required"),
    ({"method": "per_page", "pages": 20}, {"fee_amount": 0}, "fee.nothing_due"),
    ({"method": "per_count", "count": 5}, {"fee_amount": 0}, "fee.nothing_due"),
    (
        {"method": "per_page", "pages": 120, "sent_on": D("2026-03-31")},
        {"fee_amount": 1100},
        "fee.within_answer_period",
    ),
    ({"method": "per_page", "pages": 120, "sent_on": D("2026-03-30")}, {"fee_amount": 1100}, None),
    ({"method": "per_page", "pages": 120}, {"fee_amount": 1100}, None),
    ({"method": "per_count", "count": 11}, {"fee_amount": 100}, None),
]


@pytest.mark.parametrize(("payload", "kw", "expected"), FEE)
def test_fee_notice_guard(payload: dict[str, Any], kw: dict[str, Any], expected: str | None) -> None:
    assert rule(ctx(A.ISSUE_FEE_NOTICE, payload, answer_due=D("2026-03-30"), **kw)) == expected


@pytest.mark.parametrize(
    ("payload", "expected"),
    [({"paid_on": D("2026-03-09")}, "dates.paid_after_notice"), ({"paid_on": D("2026-03-10")}, None)],
)
def test_record_payment_guard(payload: dict[str, Any], expected: str | None) -> None:
    assert rule(ctx(A.RECORD_PAYMENT, payload, fee_sent_on=D("2026-03-10"))) == expected


@pytest.mark.parametrize(
    ("today", "due", "expected"),
    [
        (D("2026-04-08"), D("2026-04-09"), "fee.period_running"),
        (D("2026-04-09"), D("2026-04-09"), "fee.period_running"),
        (D("2026-04-10"), D("2026-04-09"), None),
        (D("2026-04-10"), None, "fee.period_running"),
    ],
)
def test_lapse_fee_guard(today: date, due: date | None, expected: str | None) -> None:
    assert rule(ctx(A.LAPSE_FEE, today=today, fee_due=due)) == expected


@pytest.mark.parametrize(("flag", "expected"), [(False, "assign.handler_role"), (True, None), (None, None)])
def test_assign_guard(flag: bool | None, expected: str | None) -> None:
    assert rule(ctx(A.ASSIGN, {"handler": "bob"}, assignee_is_handler=flag)) == expected


@pytest.mark.parametrize(
    "action", [A.REGISTER, A.START_REVIEW, A.REVIEW_CONFIDENTIALITY, A.SUBMIT, A.RETURN, A.CLOSE, A.WITHDRAW]
)
def test_actions_without_guards_are_never_refused(action: Action) -> None:
    assert check_guards(ctx(action, correction_requests=5, extension_used=True, fee_notices=3)) is None


@pytest.mark.parametrize(
    ("payload", "consultations", "expected"),
    [
        ({}, (CONSULT_1,), True),
        ({}, (CONSULT_1, CONSULT_2), False),
        ({"consultation": 1}, (CONSULT_1, CONSULT_2), False),
        ({"consultation": 2}, (CLOSED_1, CONSULT_2), True),
        ({}, (CLOSED_1,), False),
        ({}, (), False),
    ],
)
def test_closes_last_consultation(
    payload: dict[str, Any], consultations: tuple[ConsultationFact, ...], expected: bool
) -> None:
    c = ctx(A.RECORD_REPLY, payload, consultations=consultations)
    assert closes_last_consultation(c) is expected
    assert CONDITIONS["closes_last_consultation"](c) is expected


@pytest.mark.parametrize(("outcome", "expected"), [(None, False), ("disclosed", True)])
def test_has_outcome(outcome: str | None, expected: bool) -> None:
    c = ctx(A.RECORD_PAYMENT, outcome=outcome)
    assert has_outcome(c) is expected
    assert CONDITIONS["has_outcome"](c) is expected


def test_every_alt_dest_condition_is_defined() -> None:
    named = {spec.alt_dest[0] for spec in ACTIONS.values() if spec.alt_dest is not None}
    assert named == set(CONDITIONS)


# ---------------------------------------------------------------------------
# The diagram


def test_mermaid_diagram() -> None:
    text = mermaid_diagram()
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    for action in Action:
        assert re.search(rf"\b{action.value}\b", text), action
    for state in CaseState:
        assert f"    {state.value} : {state.value} {STATE_LABELS[state]}" in lines
    assert "    [*] --> received : case receive" in lines
    assert "    received --> registered : register" in lines
    assert "    consulting --> under_review : record_reply [closes_last_consultation]" in lines
    assert "    awaiting_fee --> drafting : record_payment [has_outcome]" in lines
    assert "    awaiting_approval --> answered : approve" in lines
    for state in TERMINAL_STATES:
        assert f"    {state.value} --> [*]" in lines
        assert not any(line.startswith(f"    {state.value} --> {s.value}") for line in lines for s in CaseState)


def test_mermaid_diagram_has_an_arrow_for_every_state_changing_pair() -> None:
    lines = set(mermaid_diagram().splitlines())
    for action, (sources, dest, _alt) in EXPECTED_FLOW.items():
        for source in sources:
            if dest is not None and dest != source:
                assert f"    {source.value} --> {dest.value} : {action.value}" in lines
