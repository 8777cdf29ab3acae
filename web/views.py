"""Read models the console and the API share: the work queue, the chain check, audit exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, func, literal_column
from sqlmodel import Session, col, or_, select

from states import STATE_LABELS, TERMINAL_STATES, CaseState
from web.deps import Principal
from web.paging import Page
from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.clock.duties import next_duty
from workflow.clock.ladder import LEVEL_LABELS, parse_ladder, rung_for
from workflow.config import LOCAL_TZ, Settings
from workflow.db import reading
from workflow.ledger import audit
from workflow.models import Applicant, AuditEvent, Case
from workflow.office.settings import load_office
from workflow.timeutil import local_date, utc_stamp

# The queue's sortable columns (whitelisted: the address names a key, never a column).
QUEUE_SORTS: dict[str, Any] = {
    "due": col(Case.next_due),
    "number": col(Case.number),
    "received": col(Case.received_on),
    "state": col(Case.state),
    "handler": col(Case.handler),
}
QUEUE_SORT_LABELS = {"due": "最近期限", "number": "编号", "received": "收到日期", "state": "状态", "handler": "承办人"}


@dataclass(frozen=True)
class QueueFilter:
    state: str | None = None
    q: str | None = None
    handler: str | None = None
    overdue: bool = False
    provisional: bool = False
    scope: str = "all"
    sort: str = "due"
    desc: bool = False


def default_view(who: Principal) -> QueueFilter:
    """The queue a user opens on: a handler's own cases, an approver's cases awaiting approval, a
    registrar's department; everyone else sees every case."""
    if who.has("handler"):
        return QueueFilter(scope="mine")
    if who.has("approver"):
        return QueueFilter(state="awaiting_approval")
    if who.has("registrar") and who.department:
        return QueueFilter(scope="department")
    return QueueFilter()


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
    from workflow.accounts.ownership import may_read
    from workflow.errors import Forbidden

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


def _queue_where(stmt: Any, who: Principal, f: QueueFilter, today: date, department_scope: str) -> Any:
    stmt = _readable_only(stmt, who, department_scope)
    if f.state:
        stmt = stmt.where(Case.state == f.state)
    if f.handler:
        stmt = stmt.where(Case.handler == f.handler)
    if f.scope == "mine":
        stmt = stmt.where(Case.handler == who.name)
    elif f.scope == "department" and who.department:
        stmt = stmt.where(Case.department == who.department)
    if f.provisional:
        stmt = stmt.where(col(Case.provisional).is_(True))
    if f.q:
        like = f"%{f.q.strip()}%"
        stmt = stmt.where(or_(col(Case.number).like(like), col(Applicant.name).like(like)))
    if f.overdue:  # an obligation past its due day: next_due holds only obligations (states.deadlines)
        stmt = stmt.where(col(Case.next_due) < today)
    return stmt


# The queue's default order as one expression, indexed with the id by migration 0013
# (ix_case_queue_order): open cases by their nearest obligation, those without one and closed cases
# after them. Written as literal SQL, the same text the index was made from, so both databases match
# the query to the index and read one page rather than sorting every case.
_QUEUE_KEY = """COALESCE(CASE WHEN "case".state IN ({}) THEN NULL ELSE "case".next_due END, '9999-12-31')""".format(
    ", ".join(f"'{s}'" for s in sorted(t.value for t in TERMINAL_STATES))
)


def queue_key() -> Any:
    """The case's place in the queue: its next due date, 9999-12-31 for none or a closed case."""
    return literal_column(_QUEUE_KEY, type_=Date)


def _order(f: QueueFilter) -> list[Any]:
    ident = col(Case.id).desc() if f.desc else col(Case.id)
    if f.sort not in QUEUE_SORTS or f.sort == "due":
        key = queue_key()
        return [key.desc() if f.desc else key, ident]
    column = QUEUE_SORTS[f.sort]
    return [column.is_(None), column.desc() if f.desc else column, ident]


def _summary(case: Case, applicant: Applicant, cal: WorkCalendar, today: date, ladder: Any) -> dict[str, Any]:
    duty = next_duty(case, cal, today)
    rung = rung_for(duty.days_left, ladder) if duty else None
    return {
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
        "next_due": duty.due if duty else None,
        "next_due_kind": duty.kind if duty else None,
        "next_due_label": duty.label if duty else None,
        "working_days_left": duty.days_left if duty else None,
        "overdue": bool(duty and duty.overdue),
        "level": rung.level if rung else None,
        "level_label": LEVEL_LABELS[rung.level] if rung else "",
        "flagged": case.flagged,
        "version": case.version,
        "outcome": case.outcome,
    }


def _count(session: Session, who: Principal, f: QueueFilter, today: date, department_scope: str) -> int:
    counted = select(func.count()).select_from(Case)
    if f.q:  # the applicant's name is searched only then: the count need not join otherwise
        counted = counted.join(Applicant, col(Applicant.id) == Case.applicant_id)
    return int(session.exec(_queue_where(counted, who, f, today, department_scope)).one())


def _queue_rows(
    settings: Settings, who: Principal, f: QueueFilter, offset: int, size: int, counting: bool
) -> tuple[list[dict[str, Any]], int]:
    today = local_date(settings.now())
    with reading(settings) as session:
        cal = load_calendar(session)
        office = load_office(session)
        ladder = parse_ladder(office.escalation_ladder)
        stmt = select(Case, Applicant).join(Applicant, col(Applicant.id) == Case.applicant_id)
        stmt = _queue_where(stmt, who, f, today, office.department_scope)
        rows = list(session.exec(stmt.order_by(*_order(f)).offset(offset).limit(size)))
        total = _count(session, who, f, today, office.department_scope) if counting else 0
    return [_summary(case, applicant, cal, today, ladder) for case, applicant in rows], total


def queue_page(settings: Settings, who: Principal, f: QueueFilter, *, page: int = 1, size: int = 50) -> Page:
    """The work queue, one page cut in the database, with the total: by default nearest obligation
    first (states.deadlines), cases with nothing due last, so an urgent old case is never lost."""
    items, total = _queue_rows(settings, who, f, (page - 1) * size, size, counting=True)
    return Page(items, total, page, size)


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
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The work queue from `offset`, nearest obligation first, each with its ladder level."""
    f = QueueFilter(state, q, handler, overdue, provisional, scope)
    return _queue_rows(settings, who, f, offset, limit, counting=False)[0]


def queue_total(settings: Settings, who: Principal, f: QueueFilter) -> int:
    """How many cases the queue holds under these filters."""
    with reading(settings) as session:
        office = load_office(session)
        return _count(session, who, f, local_date(settings.now()), office.department_scope)


def verify_chain(settings: Settings) -> dict[str, Any]:
    """The chain check, then every case row, letter and user against the ledger and the ledger
    against the signed checkpoints (when this server has the office key): `problems`, one line each."""
    from workflow.actions.checks import all_problems
    from workflow.ledger.checkpoints import check, load_key

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


@dataclass(frozen=True)
class EventFilter:
    case: int | None = None
    date_from: date | None = None  # Beijing dates
    date_to: date | None = None
    actor: str | None = None
    action: str | None = None


def _event_where(stmt: Any, f: EventFilter) -> Any:
    if f.case is not None:
        stmt = stmt.where(AuditEvent.case_id == f.case)
    if f.actor:
        stmt = stmt.where(AuditEvent.actor == f.actor)
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.date_from:
        stmt = stmt.where(AuditEvent.at >= utc_stamp(datetime.combine(f.date_from, time.min, LOCAL_TZ)))
    if f.date_to:
        stmt = stmt.where(AuditEvent.at <= utc_stamp(datetime.combine(f.date_to, time.max, LOCAL_TZ)))
    return stmt


def _event_row(e: AuditEvent) -> dict[str, Any]:
    return {
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


def events_page(settings: Settings, f: EventFilter, *, page: int = 1, size: int = 50) -> Page:
    """Ledger events matching the filters, newest first, one page cut in the database, with the total."""
    with reading(settings) as session:
        total = int(session.exec(_event_where(select(func.count()).select_from(AuditEvent), f)).one())
        stmt = _event_where(select(AuditEvent), f).order_by(col(AuditEvent.seq).desc())
        events = list(session.exec(stmt.offset((page - 1) * size).limit(size)))
    return Page([_event_row(e) for e in events], total, page, size)


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
    stmt = _event_where(select(AuditEvent), EventFilter(case, date_from, date_to, actor, action))
    with reading(settings) as session:
        events = list(session.exec(stmt.order_by(col(AuditEvent.seq)).limit(limit)))
    return [_event_row(e) for e in events]
