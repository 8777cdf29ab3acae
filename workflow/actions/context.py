"""The facts every action's guards read: from the clock, and from the case's ledger."""

from __future__ import annotations

from typing import Any

from states.guards import ConsultationFact, GuardContext
from workflow import audit
from workflow.actions.base import Step
from workflow.clock import ClockFacts, Deadlines


def ledger_facts(events: list[Any], f: ClockFacts, out: Deadlines) -> dict[str, Any]:
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


def guard_context(step: Step) -> GuardContext:
    f, out = step.facts, step.before
    consultations = tuple(
        ConsultationFact(c.number, c.party, c.addressee, c.sent_on, c.reply_due, c.closed_on is None)
        for c in out.consultations
    )
    return GuardContext(
        action=step.action,
        actor=step.actor,
        today=step.today,
        payload=step.data,
        rulebook=step.rulebook,
        received_on=f.received_on,
        correction_sent_on=f.correction_sent_on,
        correction_notice_due=out.correction_notice_due,
        correction_reply_due=out.correction_reply_due,
        answer_due=out.answer_due,
        outcome=step.case.outcome,
        consultations=consultations,
        fee_sent_on=f.fee_sent_on,
        fee_due=out.fee_due,
        **step.ledger,
        **step.extra,
    )
