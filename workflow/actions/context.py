"""The facts every action's guards read: from the clock, and from the case's ledger."""

from __future__ import annotations

from typing import Any

from states.guards import ConsultationFact, GuardContext
from workflow.actions.base import Step
from workflow.clock.deadlines import ClockFacts, Deadlines
from workflow.ledger.snapshot import LedgerFacts


def ledger_facts(lf: LedgerFacts, f: ClockFacts, out: Deadlines) -> dict[str, Any]:
    """Facts for the guards that come from the ledger (kept in the case's snapshot) rather than the clock."""
    # Art. 32 concerns third parties; an objecting department or agency is weighed, not overridden.
    objections = [c for c in out.consultations if c.opinion == "objection" and c.party == "third_party"]
    # The office is bound unless every objection was recorded as lacking a reasonable ground.
    reasonable = None if not objections else not all(c.reasonable == "no" for c in objections)
    return {
        "correction_requests": lf.correction_requests,
        "submitted_by": lf.submitted_by,
        "decision_makers": frozenset(lf.decision_makers),
        "review_conclusion": lf.review_conclusion,
        "objection_on_record": bool(objections),
        "objection_reasonable": reasonable,
        "fee_notices": lf.fee_notices,
        "extension_used": f.extension_days > 0,
        "channel": f.channel,
        "arrived_on": f.arrived_on,
        "receipt_pending": f.receipt_pending,
        "reasons_requests": lf.reasons_requests,
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
