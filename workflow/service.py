"""The one door through which a case changes: `perform` (and `receive_application`, which opens
a case). Each call is one transaction: role check, guards and transition, clock recomputation,
audit event and version bump, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from states import (
    ACTIONS,
    DEFAULT_RULEBOOK,
    DISCLOSING_OUTCOMES,
    ROLE_LABELS,
    Action,
    ActionSpec,
    CaseState,
    IllegalMove,
    Role,
    RuleBook,
    fire,
)
from states.guards import CONDITIONS, ConsultationFact, GuardContext, check_guards, override_reason
from workflow import audit, delivery, moment
from workflow.calendar_store import load_calendar
from workflow.clock import ClockFacts, Deadlines, compute, facts_from_events
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from workflow.fees import compute_fee
from workflow.handoffs import notify_handoff
from workflow.intake import CHANNELS, EARLIEST, receive_application
from workflow.letters import issue as letters
from workflow.models import Case, Letter, User
from workflow.office import load_office, office_rulebook
from workflow.payloads import parse_payload
from workflow.projection import apply_deadlines, events_for_clock
from workflow.queries import nth_application_this_month
from workflow.rulefacts import engine_facts
from workflow.timeutil import local_date
from workflow.users import find_user, get_user

__all__ = ["CHANNELS", "Outcome", "perform", "receive_application"]
# Actions whose letter starts a period of its addressee's, counted from delivery (送达).
SERVED_ACTIONS = frozenset({Action.REQUEST_CORRECTION, Action.CONSULT, Action.ISSUE_FEE_NOTICE, Action.REQUEST_REASONS})

# Built once (perform runs on every action): the case row, locked until the transaction ends.
_CASE_FOR_UPDATE = select(Case).where(Case.id == bindparam("case_id")).with_for_update()


@dataclass(frozen=True)
class Outcome:
    case: Case
    event_seq: int
    from_state: str
    to_state: str
    letter: str | None
    changed: dict[str, tuple[str | None, str | None]]
    issued: Letter | None = None
    letters: list[Letter] = field(default_factory=list)


def _acting_role(user: User, spec: ActionSpec, action: Action) -> Role:
    for role in spec.roles:
        if role.value in user.role_set():
            return role
    allowed = "、".join(ROLE_LABELS[r] for r in spec.roles)
    held = "、".join(ROLE_LABELS[Role(r)] for r in sorted(user.role_set()) if r in Role.__members__.values())
    raise Forbidden(
        f"用户“{user.name}”（角色：{held or '无'}）无权办理“{spec.label}”，须由以下角色办理：{allowed}",
        "role.forbidden",
        "actor",
    )


def _check_ownership(session: Session, case: Case, user: User, spec: ActionSpec) -> None:
    from workflow.office import load_office
    from workflow.ownership import check_may_act

    check_may_act(
        name=user.name,
        held=user.role_set(),
        allowed={r.value for r in spec.roles},
        department=user.department,
        case_handler=case.handler,
        case_department=case.department,
        case_number=case.number,
        scope=load_office(session).department_scope,
    )


def _ledger_context(events: list[Any], f: ClockFacts, out: Deadlines) -> dict[str, Any]:
    """Facts for the guards that come from the ledger rather than the clock."""
    actions = [e.action for e in events]
    submitted_by = next((e.actor for e in reversed(events) if e.action == "submit"), None)
    review = next(
        (audit.payload_of(e).get("conclusion") for e in reversed(events) if e.action == "review_confidentiality"), None
    )
    # Art. 32 concerns third parties; an objecting department or agency is weighed, not overridden.
    objections = [c for c in out.consultations if c.opinion == "objection" and c.party == "third_party"]
    # The office is bound unless every objection was recorded as lacking a reasonable ground.
    reasonable = None if not objections else not all(c.reasonable == "no" for c in objections)
    return {
        "correction_requests": actions.count("request_correction"),
        "submitted_by": submitted_by,
        "decision_makers": frozenset(e.actor for e in events if e.action in ("decide", "submit")),
        "review_conclusion": review,
        "objection_on_record": bool(objections),
        "objection_reasonable": reasonable,
        "fee_notices": actions.count("issue_fee_notice"),
        "extension_used": f.extension_days > 0,
        "channel": f.channel,
        "arrived_on": f.arrived_on,
        "receipt_pending": f.receipt_pending,
        "reasons_requests": actions.count("request_reasons"),
        "reasons_sent_on": f.reasons_sent_on,
        "reasons_due": out.reasons_due,
        "reasons_received_on": f.reasons_received_on,
        "reasons_reasonable": f.reasons_reasonable,
    }


def _prepare(
    session: Session, case: Case, action: Action, payload: dict[str, Any], out: Deadlines, today: date, actor: User
) -> dict[str, Any]:
    """Fill in what the engine knows so the event records every fact the clock relies on."""
    extra: dict[str, Any] = {}
    if action in (Action.RECORD_REPLY, Action.LAPSE_CONSULTATION):
        _consultation_facts(action, payload, out, today)
    if action is Action.ISSUE_FEE_NOTICE:
        extra.update(_fee_facts(session, case, payload))
    _defaults(action, case, payload, today)
    if action is Action.RECORD_DELIVERY:
        extra["letters"] = delivery.letter_facts(session, case.id or 0)
    extra.update(_placement(session, case, action, payload, actor))
    return extra


def _consultation_facts(action: Action, payload: dict[str, Any], out: Deadlines, today: date) -> None:
    if "consultation" not in payload:
        open_ = [c for c in out.consultations if c.closed_on is None]
        if len(open_) == 1:
            payload["consultation"] = open_[0].number
    if action is Action.LAPSE_CONSULTATION and "consultation" in payload:
        # The pause ends on the last day of the reply period, not on the (possibly late) day the
        # lapse is recorded, so a late sweep never gives the office extra days.
        target = next((c for c in out.consultations if c.number == payload["consultation"]), None)
        if target is not None and target.reply_due is not None:
            payload["lapsed_on"] = min(target.reply_due, today)


def _fee_facts(session: Session, case: Case, payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("method") == "per_count":
        # The register is the floor: this applicant's n-th application of the month here. A higher
        # count may reflect applications made elsewhere; a lower one contradicts the record.
        registered = nth_application_this_month(session, case)
        payload.setdefault("count", registered)
        payload["count_in_register"] = registered
    qty = payload.get("pages") if payload.get("method") == "per_page" else payload.get("count")
    if not qty:
        return {}
    fee = compute_fee(str(payload["method"]), int(qty))
    payload["amount"] = fee.amount
    return {"fee_amount": fee.amount}


def _defaults(action: Action, case: Case, payload: dict[str, Any], today: date) -> None:
    if action is Action.REQUEST_CORRECTION:
        payload.setdefault("period_days", DEFAULT_RULEBOOK.correction_reply_default_days)
    if action is Action.REQUEST_REASONS:
        payload.setdefault("reply_days", DEFAULT_RULEBOOK.reasons_reply_default_days)
    if action in SERVED_ACTIONS:
        delivery.fill_defaults(action, case, payload, today)
    if action is Action.CONFIRM_RECEIPT:
        payload.setdefault("confirmed_on", today)


def _placement(session: Session, case: Case, action: Action, payload: dict[str, Any], actor: User) -> dict[str, Any]:
    """Who will handle the case and in which department (recorded in the event's payload)."""
    if action is Action.ASSIGN:
        handler = find_user(session, str(payload["handler"]))
        if handler is not None and handler.department and not payload.get("department"):
            payload["department"] = handler.department  # the case goes to the assignee's department
        return {"assignee_is_handler": handler is not None and Role.HANDLER.value in handler.role_set()}
    if action is Action.START_REVIEW and case.handler is None and case.department is None and actor.department:
        payload["department"] = actor.department  # taking the case places it in the taker's department
    return {}


def _guard_context(
    action: Action,
    actor: str,
    today: date,
    payload: dict[str, Any],
    rb: RuleBook,
    f: ClockFacts,
    out: Deadlines,
    case: Case,
    ledger: dict[str, Any],
    extra: dict[str, Any],
) -> GuardContext:
    consultations = tuple(
        ConsultationFact(c.number, c.party, c.addressee, c.sent_on, c.reply_due, c.closed_on is None)
        for c in out.consultations
    )
    return GuardContext(
        action=action,
        actor=actor,
        today=today,
        payload=payload,
        rulebook=rb,
        received_on=f.received_on,
        correction_sent_on=f.correction_sent_on,
        correction_notice_due=out.correction_notice_due,
        correction_reply_due=out.correction_reply_due,
        answer_due=out.answer_due,
        outcome=case.outcome,
        consultations=consultations,
        fee_sent_on=f.fee_sent_on,
        fee_due=out.fee_due,
        **ledger,
        **extra,
    )


def perform(
    case_id: int,
    action: str,
    actor: str,
    payload: Mapping[str, object] | None = None,
    expected_version: int | None = None,
    *,
    settings: Settings,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
    beside: Callable[[Session, Outcome], None] | None = None,
) -> Outcome:
    """Take `action` on a case as `actor`: the only way a case changes state. `beside` stores what
    the caller keeps with the action (the portal's uploads) in the same transaction.

    Raises:
        NotFound, Forbidden, InvalidInput, Refused, Conflict: nothing is written.
    """
    try:
        act = Action(action)
    except ValueError:
        raise InvalidInput(
            f"action：'{action}' 不是已知的办理动作，可选：{', '.join(a.value for a in Action)}",
            "action.unknown",
            "action",
        ) from None
    spec = ACTIONS[act]
    now = settings.now()
    today = local_date(now)
    with transaction(settings) as session:
        case = session.exec(_CASE_FOR_UPDATE, params={"case_id": case_id}).first()
        if case is None:
            raise NotFound(f"case：没有编号为 {case_id} 的案件", "case.unknown", "case")
        if expected_version is not None and case.version != expected_version:
            raise Conflict(
                f"案件已被他人更新（当前版本 {case.version}，您看到的是版本 {expected_version}），请刷新后重试",
                field="expected_version",
            )
        user = get_user(session, actor)
        role = _acting_role(user, spec, act)
        _check_ownership(session, case, user, spec)
        state = CaseState(case.state)
        if state not in spec.sources:
            raise Refused(
                str(IllegalMove(state, act)).removesuffix("（规则 flow.illegal_transition）"),
                "flow.illegal_transition",
                "action",
            )
        cal = load_calendar(session)
        rulebook = office_rulebook(session, rulebook)
        earliest = EARLIEST if act is Action.CORRECT_RECEIPT else case.received_on
        data = parse_payload(spec, payload or {}, today=today, earliest=earliest)
        events = audit.case_event_facts(session, case_id)
        history = events_for_clock(events)
        facts = facts_from_events(history)
        before = compute(facts, cal, rulebook)
        extra = _prepare(session, case, act, data, before, today, user)
        extra.update(engine_facts(session, case, act, role, facts, before, data, cal, today))
        ledger = _ledger_context(events, facts, before)
        ctx = _guard_context(act, actor, today, data, rulebook, facts, before, case, ledger, extra)
        refusal = check_guards(ctx)
        if refusal is not None:
            raise Refused(refusal.message, refusal.rule)
        dest = fire(state, act, {name: cond(ctx) for name, cond in CONDITIONS.items()})
        history.append((act.value, audit.canonical_payload(data), today))
        after = compute(facts_from_events(history), cal, rulebook)
        if act is Action.DECIDE:
            letters.checked_context(session, case, str(data["outcome"]), history, cal=cal, today=today, number=None)
        session.info[moment.SESSION_FLAG] = moment.is_simulation(session.connection(), settings)
        issued = [
            letters.issue(session, case, code, history, cal=cal, today=today, now=now, actor=actor)
            for code in _letters_for(act, spec, data, case, events, ledger) + _notices(session, act, data)
        ]
        for n, letter in enumerate(issued):
            delivery.record_issued(session, case, letter, data if n == 0 else {}, today)
        if act is Action.RECORD_DELIVERY:
            delivery.record_delivery(session, data, actor, now)
        if act is Action.CLOSE:
            delivery.record_answer_delivery(session, case, data, actor, now)
        done = _commit_action(session, case, act, role, actor, now, data, dest, after, issued)
        if beside is not None:
            beside(session, done)
        return done


def _commit_action(
    session: Session,
    case: Case,
    act: Action,
    role: Role,
    actor: str,
    now: datetime,
    data: dict[str, Any],
    dest: CaseState,
    after: Deadlines,
    issued: list[Letter],
) -> Outcome:
    changed = apply_deadlines(session, case, after)
    from_state = case.state
    _apply_effects(case, act, actor, data, local_date(now))
    case.state = dest.value
    case.version += 1
    case.updated_at = now
    session.add(case)
    record = dict(data)
    if changed:
        record["due_dates"] = {k: {"from": old, "to": new} for k, (old, new) in changed.items()}
    letter = issued[0] if issued else None
    if issued:
        facts = [
            {"id": x.id, "kind": x.kind, "number": x.number, "sha256": x.docx_sha256, "html_sha256": x.html_sha256}
            for x in issued
        ]
        record["letter"] = facts[0]
        if len(facts) > 1:
            record["letters"] = facts[1:]
    ev = audit.append(
        session,
        case_id=case.id,
        at=now,
        actor=actor,
        role=role.value,
        action=act.value,
        from_state=from_state,
        to_state=dest.value,
        payload=record,
    )
    notify_handoff(session, case, act, actor, data, letter, now)
    return Outcome(case, ev.seq, from_state, dest.value, letter.kind if letter else None, changed, letter, issued)


def _apply_effects(case: Case, act: Action, actor: str, data: dict[str, Any], today: date) -> None:
    if act is Action.CONFIRM_RECEIPT:
        case.received_on = data["confirmed_on"]
    elif act is Action.CORRECT_RECEIPT:
        case.received_on = data["received_on"]
    elif act is Action.START_REVIEW and case.handler is None:
        case.handler = actor
        case.department = data.get("department") or case.department
    elif act is Action.ASSIGN:
        case.handler = data["handler"]
        case.department = data.get("department") or case.department
    elif act is Action.DECIDE:
        case.outcome = data["outcome"]
    elif act is Action.APPROVE:
        case.answered_on = today


def _letters_for(
    act: Action, spec: ActionSpec, data: dict[str, Any], case: Case, events: list[Any], ledger: dict[str, Any]
) -> list[str]:
    """The letter types the action issues (rendering is the letters module's job)."""
    if spec.letter == "answer":
        # Art. 32: the third party learns of a disclosure over its objection only once the answer
        # is approved, so a decision returned and changed never leaves it holding a wrong letter.
        over = ledger["objection_on_record"] and _disclosed_over_objection(events)
        return [c for c in (case.outcome, "disclosure_despite_objection" if over else None) if c]
    if spec.letter == "consultation":
        return {
            # the third party's letter goes with a reply slip for its answer
            "third_party": ["third_party_consultation", "third_party_reply_slip"],
            "other_agency": ["agency_consultation"],
            "internal_department": ["assistance_letter"],  # 协办函: internal, does not stop the clock
        }[str(data["party"])]
    return [spec.letter] if spec.letter else []


def _notices(session: Session, act: Action, data: dict[str, Any]) -> list[str]:
    """Letters an office setting adds: telling the applicant a consultation stops the clock."""
    if act is Action.CONSULT and data["party"] != "internal_department":
        return ["consultation_notice"] if load_office(session).consultation_notice == "1" else []
    return []


def _disclosed_over_objection(events: list[Any]) -> bool:
    decision = next((audit.payload_of(e) for e in reversed(events) if e.action == "decide"), None)
    if decision is None or decision.get("outcome") not in {o.value for o in DISCLOSING_OUTCOMES}:
        return False
    return bool(decision.get("override_objection") or override_reason(decision))


def count_cases(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Case)).one())


def cases_by_state(session: Session, states: list[str]) -> list[Case]:
    return list(session.exec(select(Case).where(col(Case.state).in_(states)).order_by(col(Case.id))))
