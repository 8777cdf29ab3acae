"""The legal conditions of each action, as pure predicates over the facts of a case.

A guard returns a `Refusal` naming the rule (a stable id plus words a handler understands) or
None. The workflow gathers the facts (`GuardContext`); nothing here reads a database or a clock.
The guards live by subject (receipt, periods, decision); `GUARDS` says which apply to an action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from states.guards.context import ConsultationFact, Guard, GuardContext, LetterFact, Refusal
from states.guards.decision import (
    approver_is_not_submitter,
    approver_took_no_part_in_the_decision,
    decided_answer_still_lawful,
    decision_ok,
    late_approval_confirmed,
    override_reason,
)
from states.guards.periods import (
    COUNTABLE_IDENTITY_DOCUMENTS,
    consultation_dates,
    consultation_lapsed,
    extension_once_in_time,
    fee_notice_ok,
    fee_period_passed,
    later_date_ok,
    payment_after_notice,
    per_count_needs_identity,
    reasons_on_record,
    reasons_request_once,
    reply_to_open_consultation,
)
from states.guards.receipt import (
    PROVISIONAL_NO_AUTO_LAPSE,
    assignee_is_handler,
    correction_after_notice,
    correction_once_and_in_time,
    correction_period_passed,
    delivery_of_own_letter,
    no_automatic_lapse_on_provisional_date,
    receipt_correction_ok,
    receipt_to_confirm,
)
from states.lifecycle import Action

__all__ = [
    "CONDITIONS",
    "COUNTABLE_IDENTITY_DOCUMENTS",
    "GUARDS",
    "PROVISIONAL_NO_AUTO_LAPSE",
    "ConsultationFact",
    "Guard",
    "GuardContext",
    "LetterFact",
    "Refusal",
    "check_guards",
    "closes_last_consultation",
    "has_outcome",
    "override_reason",
]

GUARDS: dict[Action, tuple[Guard, ...]] = {
    Action.CONFIRM_RECEIPT: (receipt_to_confirm,),
    Action.CORRECT_RECEIPT: (receipt_correction_ok,),
    Action.RECORD_DELIVERY: (delivery_of_own_letter,),
    Action.REQUEST_REASONS: (reasons_request_once,),
    Action.RECORD_REASONS: (reasons_on_record,),
    Action.SET_LATER_DATE: (later_date_ok,),
    Action.REQUEST_CORRECTION: (correction_once_and_in_time,),
    Action.RECEIVE_CORRECTION: (correction_after_notice,),
    Action.LAPSE_CORRECTION: (correction_period_passed, no_automatic_lapse_on_provisional_date),
    Action.CONSULT: (consultation_dates,),
    Action.RECORD_REPLY: (reply_to_open_consultation,),
    Action.LAPSE_CONSULTATION: (consultation_lapsed, no_automatic_lapse_on_provisional_date),
    Action.ISSUE_FEE_NOTICE: (per_count_needs_identity, fee_notice_ok),
    Action.RECORD_PAYMENT: (payment_after_notice,),
    Action.LAPSE_FEE: (fee_period_passed, no_automatic_lapse_on_provisional_date),
    Action.EXTEND: (extension_once_in_time,),
    Action.DECIDE: (decision_ok,),
    Action.SUBMIT: (decided_answer_still_lawful,),
    Action.APPROVE: (
        approver_is_not_submitter,
        approver_took_no_part_in_the_decision,
        decided_answer_still_lawful,
        late_approval_confirmed,
    ),
    Action.ASSIGN: (assignee_is_handler,),
}


def check_guards(ctx: GuardContext) -> Refusal | None:
    """The first refusal among the action's guards, or None when the action is lawful."""
    for guard in GUARDS.get(ctx.action, ()):
        refusal = guard(ctx)
        if refusal is not None:
            return refusal
    return None


def closes_last_consultation(ctx: GuardContext) -> bool:
    """True when this reply or lapse ends the only consultation still open."""
    target = ctx.target_consultation()
    return target is not None and len(ctx.open_consultations) == 1


def has_outcome(ctx: GuardContext) -> bool:
    return ctx.outcome is not None


CONDITIONS: Mapping[str, Callable[[GuardContext], bool]] = {
    "closes_last_consultation": closes_last_consultation,
    "has_outcome": has_outcome,
}
