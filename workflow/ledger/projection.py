"""Keep a case row's due-date columns and its consultation rows in step with its events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlmodel import Session, select

from states import RuleBook
from workflow.calendar import WorkCalendar
from workflow.clock.deadlines import ClockFacts, Deadlines, compute, facts_from_events
from workflow.ledger.audit import case_events, payload_of
from workflow.models import Case, Consultation
from workflow.timeutil import local_date

Event = tuple[str, Mapping[str, Any], date]


def events_for_clock(events: Iterable[Any]) -> list[Event]:
    """(action, payload, local date) of each event: AuditEvent objects or rows of those columns."""
    out: list[Event] = []
    for ev in events:
        out.append((ev.action, payload_of(ev), local_date_of_stamp(ev.at)))
    return out


def local_date_of_stamp(stamp: str) -> date:
    from datetime import datetime

    return local_date(datetime.fromisoformat(stamp.replace("Z", "+00:00")))


def load_facts(session: Session, case_id: int, extra: Event | None = None) -> ClockFacts:
    """The clock facts of a case from its ledger, plus an event about to be appended."""
    events = events_for_clock(case_events(session, case_id))
    if extra is not None:
        events.append(extra)
    return facts_from_events(events)


def apply_deadlines(session: Session, case: Case, out: Deadlines) -> dict[str, tuple[str | None, str | None]]:
    """Store the deadlines on the row; return the due dates that changed, old and new."""
    before = _stored(case)
    nearest = out.next_due() or (None, None)
    values = {
        "clock_state": out.clock_state,
        "answer_due": out.answer_due,
        "correction_notice_due": out.correction_notice_due,
        "correction_reply_due": out.correction_reply_due,
        "consultation_due": out.consultation_due(),
        "fee_due": out.fee_due,
        "reasons_due": out.reasons_due,
        "registration_due": out.registration_due,
        "delivery_due": out.delivery_due,
        "receipt_confirmed": not out.receipt_pending,
        "next_due_kind": nearest[0],
        "next_due": nearest[1],
        "provisional": out.provisional,
    }
    for name, value in values.items():
        if getattr(case, name) != value:  # SQLModel's attribute setter is costly: most stay the same
            setattr(case, name, value)
    after = _stored(case)
    _project_consultations(session, case, out)
    return {k: (before[k], after[k]) for k in after if before[k] != after[k]}


def _stored(case: Case) -> dict[str, str | None]:
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "answer_due": iso(case.answer_due),
        "correction_notice_due": iso(case.correction_notice_due),
        "correction_reply_due": iso(case.correction_reply_due),
        "consultation_due": iso(case.consultation_due),
        "fee_due": iso(case.fee_due),
        "reasons_due": iso(case.reasons_due),
        "registration_due": iso(case.registration_due),
        "delivery_due": iso(case.delivery_due),
    }


def _project_consultations(session: Session, case: Case, out: Deadlines) -> None:
    assert case.id is not None
    if not out.consultations:  # rows come only from consult events, which the clock always replays
        return
    rows = {c.number: c for c in session.exec(select(Consultation).where(Consultation.case_id == case.id))}
    for c in out.consultations:
        row = rows.get(c.number) or Consultation(
            case_id=case.id,
            number=c.number,
            party=c.party,
            addressee=c.addressee,
            sent_on=c.sent_on,
            delivered_on=c.delivered_on,
            reply_due=c.reply_due,
        )
        row.delivered_on, row.reply_due = c.delivered_on, c.reply_due
        row.closed_on, row.closed_by, row.opinion = c.closed_on, c.closed_by, c.opinion
        session.add(row)


def recompute(session: Session, case: Case, cal: WorkCalendar, rb: RuleBook) -> tuple[Deadlines, dict[str, Any]]:
    """Recompute a case's deadlines from its ledger (after a calendar change)."""
    assert case.id is not None
    out = compute(load_facts(session, case.id), cal, rb)
    return out, apply_deadlines(session, case, out)
