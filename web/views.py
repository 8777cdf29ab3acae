"""Read models the console and the API share: the work queue, the chain check, audit exports."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import null
from sqlmodel import Session, col, or_, select

from states import STATE_LABELS, TERMINAL_STATES, CaseState
from states.vocab import ClockState
from web.deps import Principal
from workflow import audit
from workflow.calendar_store import load_calendar
from workflow.config import LOCAL_TZ, Settings
from workflow.db import reading
from workflow.ladder import LEVEL_LABELS, parse_ladder, rung_for, working_days_left
from workflow.models import Applicant, AuditEvent, Case
from workflow.office import load_office
from workflow.timeutil import local_date, utc_stamp

DUE_COLUMNS = (
    "answer_due",
    "correction_notice_due",
    "correction_reply_due",
    "consultation_due",
    "fee_due",
    "registration_due",
    "delivery_due",
    "reasons_due",
)


def _nearest(case: Case) -> tuple[str, date] | None:
    dues = [(name, getattr(case, name)) for name in DUE_COLUMNS if getattr(case, name) is not None]
    if case.clock_state != ClockState.RUNNING:
        dues = [d for d in dues if d[0] != "answer_due"]
    return min(dues, key=lambda d: d[1]) if dues else None


def _nearest_due_sql() -> Any:
    """The case's next due date as the queue sorts by it (stored by the clock's projection, the
    same rule as `_nearest`), nothing for closed cases, so the database can sort and limit."""
    return sql_case((col(Case.state).in_([s.value for s in TERMINAL_STATES]), null()), else_=col(Case.next_due))


def _readable_only(stmt: Any, who: Principal, scope: str) -> Any:
    """A handler and nothing else sees their own cases, unassigned ones and (scope on) their department's."""
    if who.roles != {"handler"}:
        return stmt
    mine = [col(Case.handler) == who.name, col(Case.handler).is_(None)]
    if scope == "on" and who.department:
        mine.append(col(Case.department) == who.department)
    return stmt.where(or_(*mine))


def check_readable(session: Session, who: Principal, case: Case) -> Case:
    """The case, if `who` may read it; else Forbidden naming the rule."""
    from workflow.errors import Forbidden
    from workflow.ownership import may_read

    scope = load_office(session).department_scope
    if not may_read(
        name=who.name,
        held=who.roles,
        department=who.department,
        case_handler=case.handler,
        case_department=case.department,
        scope=scope,
    ):
        raise Forbidden(f"案件 {case.number} 由“{case.handler}”承办，您无权查看", "ownership.not_assigned", "case")
    return case


def case_summaries(
    settings: Settings,
    who: Principal,
    *,
    state: str | None = None,
    q: str | None = None,
    handler: str | None = None,
    overdue: bool = False,
    provisional: bool = False,
    scope: str = "all",
    limit: int = 200,
) -> list[dict[str, Any]]:
    """The work queue: open cases first, nearest due date first, each with its ladder level."""
    today = local_date(settings.now())
    with reading(settings) as session:
        cal = load_calendar(session)
        ladder = parse_ladder(load_office(session).escalation_ladder)
        stmt = select(Case, Applicant).join(Applicant, col(Applicant.id) == Case.applicant_id)
        stmt = _readable_only(stmt, who, load_office(session).department_scope)
        if state:
            stmt = stmt.where(Case.state == state)
        if handler:
            stmt = stmt.where(Case.handler == handler)
        if scope == "mine":
            stmt = stmt.where(Case.handler == who.name)
        elif scope == "department" and who.department:
            stmt = stmt.where(Case.department == who.department)
        if provisional:
            stmt = stmt.where(col(Case.provisional).is_(True))
        if q:
            like = f"%{q.strip()}%"
            stmt = stmt.where(or_(col(Case.number).like(like), col(Applicant.name).like(like)))
        # Sorted and cut in the database, so an urgent case is never lost behind newer ones.
        nearest_due = _nearest_due_sql()
        if overdue:
            stmt = stmt.where(nearest_due < today)  # working days left < 0 ⇔ the due day has passed
        stmt = stmt.order_by(nearest_due.is_(None), nearest_due, col(Case.id)).limit(limit)
        rows = list(session.exec(stmt))
    out = []
    for case, applicant in rows:
        nearest = _nearest(case) if case.state not in {s.value for s in TERMINAL_STATES} else None
        left = working_days_left(cal, today, nearest[1]) if nearest else None
        rung = rung_for(left, ladder) if left is not None else None
        out.append(
            {
                "id": case.id,
                "number": case.number,
                "state": case.state,
                "state_label": STATE_LABELS[CaseState(case.state)],
                "applicant": applicant.name,
                "request": case.request,
                "handler": case.handler,
                "department": case.department,
                "received_on": case.received_on,
                "answer_due": case.answer_due,
                "provisional": case.provisional,
                "next_deadline": nearest[0] if nearest else None,
                "next_due": nearest[1] if nearest else None,
                "working_days_left": left,
                "level": rung.level if rung else None,
                "level_label": LEVEL_LABELS[rung.level] if rung else "",
                "flagged": case.flagged,
                "version": case.version,
                "outcome": case.outcome,
            }
        )
    return out


def verify_chain(settings: Settings) -> dict[str, Any]:
    """The chain check, then every case row, letter and user against the ledger and the ledger
    against the signed checkpoints (when this server has the office key): `problems`, one line each."""
    from workflow.audit_checks import all_problems
    from workflow.checkpoints import check, load_key

    with reading(settings) as session:
        result = audit.verify(session)
        problems = all_problems(session)
        key, folder = settings.signing_key_path, settings.checkpoint_path
        if key is not None and folder is not None and key.exists():
            problems += check(session, folder, load_key(key).public_key()).problems
    return {
        "intact": result.intact,
        "count": result.count,
        "broken_seq": result.broken_seq,
        "problem": result.problem,
        "problems": problems,
    }


def export_events(
    settings: Settings,
    *,
    case: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100_000,
) -> list[dict[str, Any]]:
    """Ledger events matching the filters (dates are Beijing dates), oldest first, with hashes."""
    stmt = select(AuditEvent)
    if case is not None:
        stmt = stmt.where(AuditEvent.case_id == case)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if date_from:
        stmt = stmt.where(AuditEvent.at >= utc_stamp(datetime.combine(date_from, time.min, LOCAL_TZ)))
    if date_to:
        stmt = stmt.where(AuditEvent.at <= utc_stamp(datetime.combine(date_to, time.max, LOCAL_TZ)))
    with reading(settings) as session:
        events = list(session.exec(stmt.order_by(col(AuditEvent.seq)).limit(limit)))
    return [
        {
            "seq": e.seq,
            "case_id": e.case_id,
            "at": e.at,
            "actor": e.actor,
            "role": e.role,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "payload": e.payload,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in events
    ]
