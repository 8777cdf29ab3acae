"""Read models: how a case, its history and its deadlines are shown to people and machines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from states import STATE_LABELS, CaseState, RuleBook
from workflow.calendar.store import load_calendar
from workflow.cases.applicants import mask_id
from workflow.clock.deadlines import Deadlines, compute, facts_from_events
from workflow.clock.explain import explain
from workflow.errors import NotFound
from workflow.ledger import audit
from workflow.ledger.projection import events_for_clock, local_date_of_stamp
from workflow.models import Applicant, AuditEvent, Case, Consultation
from workflow.timeutil import utc_stamp


def find_case(session: Session, ref: str | int) -> Case:
    """A case by its id or its number.

    Raises:
        NotFound: neither matches.
    """
    text = str(ref).strip()
    case = session.get(Case, int(text)) if text.isdigit() and int(text) < 2**31 else None
    if case is None:
        case = session.exec(select(Case).where(Case.number == text)).first()
    if case is None:
        raise NotFound(f"case：没有编号为“{text}”的案件", "case.unknown", "case")
    return case


def case_view(session: Session, case: Case) -> dict[str, Any]:
    applicant = session.get(Applicant, case.applicant_id)
    consultations = session.exec(
        select(Consultation).where(Consultation.case_id == case.id).order_by(col(Consultation.number))
    )
    return _view(case, applicant, list(consultations))


def case_views(session: Session, cases: list[Case]) -> list[dict[str, Any]]:
    """`case_view` of many cases: two queries for all of them, not two per case."""
    ids = [c.id for c in cases]
    applicants = {
        a.id: a for a in session.exec(select(Applicant).where(col(Applicant.id).in_({c.applicant_id for c in cases})))
    }
    consultations: dict[int | None, list[Consultation]] = {}
    for row in session.exec(
        select(Consultation).where(col(Consultation.case_id).in_(ids)).order_by(col(Consultation.number))
    ):
        consultations.setdefault(row.case_id, []).append(row)
    return [_view(c, applicants.get(c.applicant_id), consultations.get(c.id, [])) for c in cases]


def _view(case: Case, applicant: Applicant | None, consultations: list[Consultation]) -> dict[str, Any]:
    return {
        "id": case.id,
        "number": case.number,
        "state": case.state,
        "state_label": STATE_LABELS[CaseState(case.state)],
        "version": case.version,
        "channel": case.channel,
        "received_on": case.received_on,
        "request": case.request,
        "applicant": {
            "name": applicant.name if applicant else "",
            "kind": applicant.kind if applicant else "",
            "id_number": mask_id(applicant.id_number if applicant else None),
            "contact": applicant.contact if applicant else None,
        },
        "handler": case.handler,
        "department": case.department,
        "outcome": case.outcome,
        "clock_state": case.clock_state,
        "answer_due": case.answer_due,
        "provisional": case.provisional,
        "correction_notice_due": case.correction_notice_due,
        "correction_reply_due": case.correction_reply_due,
        "consultation_due": case.consultation_due,
        "fee_due": case.fee_due,
        "reasons_due": case.reasons_due,
        "registration_due": case.registration_due,
        "delivery_due": case.delivery_due,
        "next_due": case.next_due,
        "next_due_kind": case.next_due_kind,
        "receipt_confirmed": case.receipt_confirmed,
        "answered_on": case.answered_on,
        "consultations": [
            {
                "number": c.number,
                "party": c.party,
                "addressee": c.addressee,
                "sent_on": c.sent_on,
                "delivered_on": c.delivered_on,
                "reply_due": c.reply_due,
                "closed_on": c.closed_on,
                "closed_by": c.closed_by,
                "opinion": c.opinion,
            }
            for c in consultations
        ],
    }


def history_view(session: Session, case: Case, events: list[AuditEvent] | None = None) -> list[dict[str, Any]]:
    """The case's ledger events as plain data (`events`: already read, so not read again)."""
    return [_event_view(ev) for ev in (audit.case_events(session, case.id or 0) if events is None else events)]


def _event_view(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "case_id": ev.case_id,
        "at": ev.at,
        "date": local_date_of_stamp(ev.at),
        "actor": ev.actor,
        "role": ev.role,
        "action": ev.action,
        "from_state": ev.from_state,
        "to_state": ev.to_state,
        "payload": audit.payload_of(ev),
        "prev_hash": ev.prev_hash,
        "hash": ev.hash,
    }


def deadlines_of(
    session: Session,
    case: Case,
    rb: RuleBook,
    as_of: datetime | None = None,
    events: list[AuditEvent] | None = None,
) -> tuple[Deadlines, list[str]]:
    """Recompute a case's deadlines from its ledger, with the day-by-day explanation; `as_of`: from
    the events recorded up to that moment only (a read-only look back, nothing is written);
    `events`: the case's ledger already read, so a page reads it once."""
    cal = load_calendar(session)
    if events is None:
        events = audit.case_events(session, case.id or 0)
    if as_of is not None:
        events = [e for e in events if e.at <= utc_stamp(as_of)]
    facts = facts_from_events(events_for_clock(events))
    out = compute(facts, cal, rb)
    return out, explain(facts, out, cal, rb)


def list_cases(session: Session, state: str | None = None, limit: int = 1000) -> list[Case]:
    stmt = select(Case).order_by(col(Case.id)).limit(limit)
    if state:
        stmt = stmt.where(Case.state == state)
    return list(session.exec(stmt))


def nth_application_this_month(session: Session, case: Case) -> int:
    """Which application of its applicant this case is within its natural month (国办函〔2020〕109号
    counts per applicant, by identity document, per calendar month): 1 for the first."""
    me = session.get(Applicant, case.applicant_id)
    first = case.received_on.replace(day=1)
    next_month = (
        first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    same = (
        col(Applicant.id_number) == me.id_number
        if me is not None and me.id_number
        else col(Applicant.id) == case.applicant_id
    )
    rows = session.exec(
        select(col(Case.id), col(Case.received_on))
        .join(Applicant, col(Applicant.id) == Case.applicant_id)
        .where(same, col(Case.received_on) >= first, col(Case.received_on) < next_month)
    )
    mine = (case.received_on, case.id or 0)
    return sum(1 for cid, day in rows if (day, cid) <= mine)
