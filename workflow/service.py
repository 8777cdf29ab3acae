"""The one door through which a case changes: `perform` (and `receive_application`, which opens
a case). Each call is one transaction: role check, guards and transition, clock recomputation,
audit event and version bump, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from states import ACTIONS, DEFAULT_RULEBOOK, Action, ActionSpec, CaseState, IllegalMove, Role, RuleBook, fire
from states.guards import CONDITIONS, ConsultationFact, GuardContext, check_guards
from workflow import audit
from workflow.applicants import check_identity
from workflow.calendar_store import load_calendar
from workflow.clock import ClockFacts, Deadlines, compute, facts_from_events
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from workflow.fees import compute_fee
from workflow.handoffs import notify_handoff
from workflow.letters import issue as letters
from workflow.models import Applicant, Case, Letter, User
from workflow.numbering import next_number
from workflow.payloads import parse_payload
from workflow.projection import apply_deadlines, events_for_clock
from workflow.queries import nth_application_this_month
from workflow.timeutil import local_date
from workflow.users import find_user, get_user

CHANNELS = ("in_person", "registered_mail", "ordinary_mail", "online", "fax")
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


def _acting_role(user: User, spec: ActionSpec, action: Action) -> Role:
    for role in spec.roles:
        if role.value in user.role_set():
            return role
    allowed = "、".join(sorted(r.value for r in spec.roles))
    raise Forbidden(
        f"用户“{user.name}”（角色：{user.roles}）无权办理“{spec.label}”（{action.value}），须由以下角色办理：{allowed}",
        "role.forbidden",
        "actor",
    )


def receive_application(
    settings: Settings,
    *,
    channel: str,
    received_on: date,
    applicant: str,
    applicant_type: str,
    request: str,
    actor: str,
    id_number: str | None = None,
    contact: str | None = None,
    on_open: Callable[[Session, Case], Mapping[str, object]] | None = None,
) -> Case:
    """Open a case in state `received` (Art. 29, 31). `on_open` stores what the caller keeps beside
    the case (the portal's data) in the same transaction and returns facts for the ledger event.

    Raises:
        InvalidInput: a bad channel, date, applicant or empty request. Forbidden: not a registrar.
    """
    now = settings.now()
    if channel not in CHANNELS:
        raise InvalidInput(
            f"channel：'{channel}' 不是有效的申请渠道，可选：{', '.join(CHANNELS)}", "receive.channel", "channel"
        )
    if received_on > local_date(now):
        raise InvalidInput(f"date：收到日期 {received_on} 晚于今天，不能登记将来的日期", "input.future_date", "date")
    if not request.strip() or not applicant.strip():
        field = "request" if not request.strip() else "applicant"
        raise InvalidInput(f"{field}：必须填写（条例第二十九条）", "input.required", field)
    number_ok = check_identity(applicant_type, id_number)
    with transaction(settings) as session:
        user = get_user(session, actor)
        # An applicant files only for themself, and only through the internet channel (the portal).
        by_applicant = channel == "online" and Role.APPLICANT.value in user.role_set()
        if not ({Role.REGISTRAR.value, Role.HANDLER.value} & user.role_set() or by_applicant):
            raise Forbidden(f"用户“{actor}”无权收件，须由登记员或承办人办理", "role.forbidden", "actor")
        person = Applicant(name=applicant.strip(), kind=applicant_type, id_number=number_ok, contact=contact)
        session.add(person)
        session.flush()
        seq = next_number(session, "case", received_on.year)
        case = Case(
            number=f"{settings.case_number_prefix}〔{received_on.year}〕{seq}号",
            state=CaseState.RECEIVED.value,
            channel=channel,
            received_on=received_on,
            request=request.strip(),
            applicant_id=person.id or 0,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        session.flush()
        kept = dict(on_open(session, case)) if on_open else {}
        audit.append(
            session,
            case_id=case.id,
            at=now,
            actor=actor,
            role=(Role.APPLICANT if by_applicant else Role.REGISTRAR).value,
            action="receive",
            from_state=None,
            to_state=case.state,
            payload={"channel": channel, "received_on": received_on, "applicant_type": applicant_type, **kept},
        )
        return case


def _ledger_context(events: list[Any], f: ClockFacts, out: Deadlines) -> dict[str, Any]:
    """Facts for the guards that come from the ledger rather than the clock."""
    actions = [e.action for e in events]
    submitted_by = next((e.actor for e in reversed(events) if e.action == "submit"), None)
    review = next(
        (audit.payload_of(e).get("conclusion") for e in reversed(events) if e.action == "review_confidentiality"), None
    )
    # Art. 32 concerns third parties; an objecting department or agency is weighed, not overridden.
    objection = any(c.opinion == "objection" and c.party == "third_party" for c in out.consultations)
    return {
        "correction_requests": actions.count("request_correction"),
        "submitted_by": submitted_by,
        "review_conclusion": review,
        "objection_on_record": objection,
        "fee_notices": actions.count("issue_fee_notice"),
        "extension_used": f.extension_days > 0,
    }


def _prepare(
    session: Session, case: Case, action: Action, payload: dict[str, Any], out: Deadlines, today: date, actor: User
) -> dict[str, Any]:
    """Fill in what the engine knows so the event records every fact the clock relies on."""
    extra: dict[str, Any] = {}
    if action in (Action.RECORD_REPLY, Action.LAPSE_CONSULTATION) and "consultation" not in payload:
        open_ = [c for c in out.consultations if c.closed_on is None]
        if len(open_) == 1:
            payload["consultation"] = open_[0].number
    if action is Action.LAPSE_CONSULTATION and "consultation" in payload:
        # The pause ends on the last day of the reply period, not on the (possibly late) day the
        # lapse is recorded, so a late sweep never gives the office extra days.
        target = next((c for c in out.consultations if c.number == payload["consultation"]), None)
        if target is not None and target.reply_due is not None:
            payload["lapsed_on"] = min(target.reply_due, today)
    if action is Action.ISSUE_FEE_NOTICE:
        if payload.get("method") == "per_count":
            # The register is the floor: this applicant's n-th application of the month here. A higher
            # count may reflect applications made elsewhere; a lower one contradicts the record.
            registered = nth_application_this_month(session, case)
            payload.setdefault("count", registered)
            payload["count_in_register"] = registered
        qty = payload.get("pages") if payload.get("method") == "per_page" else payload.get("count")
        if qty:
            fee = compute_fee(str(payload["method"]), int(qty))
            payload["amount"] = fee.amount
            extra["fee_amount"] = fee.amount
    if action is Action.REQUEST_CORRECTION:
        payload.setdefault("period_days", DEFAULT_RULEBOOK.correction_reply_default_days)
    if action in (Action.REQUEST_CORRECTION, Action.CONSULT, Action.ISSUE_FEE_NOTICE):
        payload.setdefault("sent_on", today)
    if action is Action.REGISTER:
        payload.setdefault("received_on", case.received_on)
    extra.update(_placement(session, case, action, payload, actor))
    return extra


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
        ConsultationFact(c.number, c.party, c.addressee, c.sent_on, c.reply_due or c.sent_on, c.closed_on is None)
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
        state = CaseState(case.state)
        if state not in spec.sources:
            raise Refused(
                str(IllegalMove(state, act)).removesuffix("（规则 flow.illegal_transition）"),
                "flow.illegal_transition",
                "action",
            )
        cal = load_calendar(session)
        data = parse_payload(spec, payload or {}, today=today, earliest=case.received_on)
        events = audit.case_event_facts(session, case_id)
        history = events_for_clock(events)
        facts = facts_from_events(history)
        before = compute(facts, cal, rulebook)
        extra = _prepare(session, case, act, data, before, today, user)
        ledger = _ledger_context(events, facts, before)
        ctx = _guard_context(act, actor, today, data, rulebook, facts, before, case, ledger, extra)
        refusal = check_guards(ctx)
        if refusal is not None:
            raise Refused(refusal.message, refusal.rule)
        dest = fire(state, act, {name: cond(ctx) for name, cond in CONDITIONS.items()})
        history.append((act.value, audit.canonical_payload(data), today))
        after = compute(facts_from_events(history), cal, rulebook)
        code = _letter_for(act, spec, data, case)
        if act is Action.DECIDE:
            letters.checked_context(session, case, str(data["outcome"]), history, cal=cal, today=today, number=None)
        letter = (
            letters.issue(session, case, code, history, cal=cal, today=today, now=now, actor=actor) if code else None
        )
        done = _commit_action(session, case, act, role, actor, now, data, dest, after, letter)
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
    letter: Letter | None,
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
    if letter is not None:
        record["letter"] = {
            "id": letter.id,
            "kind": letter.kind,
            "number": letter.number,
            "sha256": letter.docx_sha256,
            "html_sha256": letter.html_sha256,
        }
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
    return Outcome(case, ev.seq, from_state, dest.value, letter.kind if letter else None, changed, letter)


def _apply_effects(case: Case, act: Action, actor: str, data: dict[str, Any], today: date) -> None:
    if act is Action.REGISTER:
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


def _letter_for(act: Action, spec: ActionSpec, data: dict[str, Any], case: Case) -> str | None:
    """The letter type the action issues (rendering is the letters module's job)."""
    if spec.letter == "answer":
        return case.outcome
    if spec.letter == "consultation":
        return {"third_party": "third_party_consultation", "other_agency": "agency_consultation"}.get(data["party"])
    if spec.letter == "disclosure_despite_objection":
        return spec.letter if data.get("override_objection") else None
    return spec.letter


def count_cases(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Case)).one())


def cases_by_state(session: Session, states: list[str]) -> list[Case]:
    return list(session.exec(select(Case).where(col(Case.state).in_(states)).order_by(col(Case.id))))
