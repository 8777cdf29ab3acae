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
    ROLE_LABELS,
    Action,
    ActionSpec,
    CaseState,
    IllegalMove,
    Role,
    RuleBook,
    fire,
)
from states.guards import CONDITIONS, check_guards
from workflow import moment
from workflow.accounts.ownership import check_may_act
from workflow.accounts.users import get_user
from workflow.actions import HANDLERS, Handler, Step
from workflow.actions.context import guard_context, ledger_facts
from workflow.calendar.store import load_calendar
from workflow.cases.intake import CHANNELS, EARLIEST, receive_application
from workflow.cases.payloads import parse_payload
from workflow.clock import delivery
from workflow.clock.deadlines import Deadlines, compute
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from workflow.ledger import audit, snapshot
from workflow.ledger.projection import apply_deadlines
from workflow.letters import issue as letters
from workflow.logs import logged_action
from workflow.models import Case, Letter, User
from workflow.notify.handoffs import notify_handoff
from workflow.office.settings import load_office, office_rulebook
from workflow.timeutil import local_date

__all__ = ["CHANNELS", "Outcome", "perform", "receive_application"]
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


def _locked_case(session: Session, case_id: int, expected_version: int | None) -> Case:
    """The case row, locked until the transaction ends, as the caller last saw it."""
    case = session.exec(_CASE_FOR_UPDATE, params={"case_id": case_id}).first()
    if case is None:
        raise NotFound(f"case：没有编号为 {case_id} 的案件", "case.unknown", "case")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(
            f"案件已被他人更新（当前版本 {case.version}，您看到的是版本 {expected_version}），请刷新后重试",
            field="expected_version",
        )
    return case


def _source_state(case: Case, spec: ActionSpec, act: Action) -> CaseState:
    state = CaseState(case.state)
    if state not in spec.sources:
        raise Refused(
            str(IllegalMove(state, act)).removesuffix("（规则 flow.illegal_transition）"),
            "flow.illegal_transition",
            "action",
        )
    return state


@logged_action
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
    act = _known_action(action)
    spec = ACTIONS[act]
    now = settings.now()
    today = local_date(now)
    with transaction(settings) as session:
        case = _locked_case(session, case_id, expected_version)
        user = get_user(session, actor)
        role = _acting_role(user, spec, act)
        _check_ownership(session, case, user, spec)
        state = _source_state(case, spec, act)
        cal = load_calendar(session)
        rulebook = office_rulebook(session, rulebook)
        handler = HANDLERS[act]
        earliest = EARLIEST if handler.dates_before_receipt else case.received_on
        data = parse_payload(spec, payload or {}, today=today, earliest=earliest)
        # The facts come from the case's snapshot; the events are read only when a letter quotes them.
        known = snapshot.load(session, case, whole=bool(spec.letter) or act is Action.DECIDE)
        facts = known.clock
        before = compute(facts, cal, rulebook)
        step = Step(session, case, act, spec, user, actor, role, today, now, data, known, facts, before, cal, rulebook)
        dest = _guarded(step, handler, state)
        entry = (act.value, audit.canonical_payload(data), today)
        after = compute(snapshot.with_step(facts, entry), cal, rulebook)
        session.info[moment.SESSION_FLAG] = moment.is_simulation(session.connection(), settings)
        issued = _issue_letters(step, handler, entry)
        if handler.deliver is not None:
            handler.deliver(step)
        done = _commit_action(session, case, handler, role, actor, now, data, dest, after, issued, known)
        if beside is not None:
            beside(session, done)
        return done


def _known_action(action: str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise InvalidInput(
            f"action：'{action}' 不是已知的办理动作，可选：{', '.join(a.value for a in Action)}",
            "action.unknown",
            "action",
        ) from None


def _guarded(step: Step, handler: Handler, state: CaseState) -> CaseState:
    """Let the handler complete the payload and its facts, check the guards, and say where the case goes.

    Raises:
        Refused: a guard refuses (nothing is written).
    """
    step.extra["role"] = step.role.value
    for prepare in handler.prepare:
        prepare(step)
    step.ledger = ledger_facts(step.known.ledger, step.facts, step.before)
    ctx = guard_context(step)
    refusal = check_guards(ctx)
    if refusal is not None:
        raise Refused(refusal.message, refusal.rule)
    return fire(state, step.action, {name: cond(ctx) for name, cond in CONDITIONS.items()})


def _issue_letters(step: Step, handler: Handler, entry: tuple[str, Any, date]) -> list[Letter]:
    """Render and store the action's letters (each quotes the case's whole history) and their service records."""
    known = step.known
    if known.events is not None:
        step.history = known.history(entry)
    codes = handler.letters(step)
    if codes and known.events is None:  # a letter the statute table does not name: read the history after all
        known.events = snapshot.load(step.session, step.case, whole=True).events
        step.history = known.history(entry)
    issued = [
        letters.issue(
            step.session, step.case, code, step.history, cal=step.cal, today=step.today, now=step.now, actor=step.actor
        )
        for code in codes
    ]
    for n, letter in enumerate(issued):
        delivery.record_issued(step.session, step.case, letter, step.data if n == 0 else {}, step.today)
    return issued


def _commit_action(
    session: Session,
    case: Case,
    handler: Handler,
    role: Role,
    actor: str,
    now: datetime,
    data: dict[str, Any],
    dest: CaseState,
    after: Deadlines,
    issued: list[Letter],
    known: snapshot.CaseFacts,
) -> Outcome:
    changed = apply_deadlines(session, case, after)
    from_state = case.state
    if handler.effects is not None:
        handler.effects(case, actor, data, local_date(now))
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
        action=handler.action.value,
        from_state=from_state,
        to_state=dest.value,
        payload=record,
    )
    snapshot.store(case, known, ev)
    notify_handoff(session, case, handler.action, handler.handoff, actor, data, letter, now)
    return Outcome(case, ev.seq, from_state, dest.value, letter.kind if letter else None, changed, letter, issued)


def count_cases(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Case)).one())


def cases_by_state(session: Session, states: list[str]) -> list[Case]:
    return list(session.exec(select(Case).where(col(Case.state).in_(states)).order_by(col(Case.id))))
