"""Service (送达) of outgoing letters: one record per letter, kept in step with the ledger.

The issuing event records how and when a letter went out; `record_delivery` records when the
addressee received it. The clock reads both from the ledger (workflow/clock/facts.py); the
`service_record` rows are their projection for lists, letters and the proof-of-service form.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from states import Action
from states.guards import LetterFact
from states.vocab import DEFAULT_SERVICE, DELIVERED_WHEN_SENT, Channel, ServiceMethod
from workflow.models import Case, Letter, ServiceRecord

# Letters that go to someone other than the applicant are posted unless the handler says otherwise.
_TO_OTHERS = frozenset({Action.CONSULT})
TO_OTHERS = frozenset({"third_party_consultation", "agency_consultation", "disclosure_despite_objection"})


def fill_defaults(act: Action, case: Case, payload: dict[str, Any], today: date) -> None:
    """The sending facts of a letter whose addressee's period runs from its delivery."""
    payload.setdefault("sent_on", today)
    if act is Action.CONSULT and payload.get("party") == "internal_department":
        payload.setdefault("delivery_method", ServiceMethod.IN_PERSON.value)  # handed over within the office
    elif act in _TO_OTHERS:
        payload.setdefault("delivery_method", ServiceMethod.POST.value)
    else:
        payload.setdefault("delivery_method", DEFAULT_SERVICE[Channel(case.channel)].value)
    if ServiceMethod(payload["delivery_method"]) in DELIVERED_WHEN_SENT:
        payload.setdefault("delivered_on", payload["sent_on"])


def record_issued(session: Session, case: Case, letter: Letter, data: dict[str, Any], today: date) -> ServiceRecord:
    """The service record of a letter just issued (in the issuing action's transaction): the way
    and day the action names for its own letter, else the applicant's channel, or post to others."""
    if "delivery_method" in data:
        method = ServiceMethod(str(data["delivery_method"]))
    elif letter.kind in TO_OTHERS:
        method = ServiceMethod.POST
    else:
        method = DEFAULT_SERVICE[Channel(case.channel)]
    sent = data["sent_on"] if isinstance(data.get("sent_on"), date) else today
    got = data.get("delivered_on") if isinstance(data.get("delivered_on"), date) else None
    if got is None and method in DELIVERED_WHEN_SENT:
        got = sent
    row = ServiceRecord(
        letter_id=letter.id or 0,
        case_id=case.id or 0,
        addressee=letter.addressee,
        method=method.value,
        sent_on=sent,
        delivered_on=got,
    )
    session.add(row)
    return row


def letter_facts(session: Session, case_id: int) -> tuple[LetterFact, ...]:
    """The case's letters with their service, for the delivery guard."""
    rows = session.exec(
        select(col(Letter.id), col(Letter.kind), col(ServiceRecord.sent_on), col(ServiceRecord.delivered_on))
        .join(ServiceRecord, col(ServiceRecord.letter_id) == Letter.id)
        .where(Letter.case_id == case_id)
        .order_by(col(Letter.id))
    )
    return tuple(LetterFact(lid or 0, kind, sent, got) for lid, kind, sent, got in rows)


def record_delivery(session: Session, data: dict[str, Any], actor: str, now: datetime) -> None:
    """Project a `record_delivery` event onto its letter's service record."""
    row = session.exec(select(ServiceRecord).where(ServiceRecord.letter_id == data["letter"])).one()
    row.delivered_on = data["delivered_on"]
    if data.get("method"):
        row.method = str(data["method"])
    row.proof = data.get("proof") or row.proof
    row.recorded_by, row.recorded_at = actor, now
    session.add(row)


def record_answer_delivery(session: Session, case: Case, data: dict[str, Any], actor: str, now: datetime) -> None:
    """`close` records how the answer reached the applicant: onto the answer letter's service record."""
    if not data.get("delivered_on"):
        return
    row = session.exec(
        select(ServiceRecord)
        .join(Letter, col(Letter.id) == ServiceRecord.letter_id)
        .where(Letter.case_id == case.id, Letter.kind == case.outcome, col(ServiceRecord.delivered_on).is_(None))
        .order_by(col(Letter.id).desc())
    ).first()
    if row is not None:
        record_delivery(session, {**data, "letter": row.letter_id, "method": data.get("delivery_method")}, actor, now)
