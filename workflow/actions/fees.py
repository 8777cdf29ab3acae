"""Fees (信息处理费, 国办函〔2020〕109号): the notice, the payment, and the lapse when none came."""

from __future__ import annotations

from states import Action
from workflow.actions.base import Handler, Step
from workflow.actions.common import identity, provisional_lapse, served_letter
from workflow.cases.fees import compute_fee
from workflow.cases.queries import nth_application_this_month
from workflow.clock import facts as clock_facts
from workflow.notify.handoffs import HANDLER, Handoff


def _amount(step: Step) -> None:
    payload = step.data
    if payload.get("method") == "per_count":
        # The register is the floor: this applicant's n-th application of the month here. A higher
        # count may reflect applications made elsewhere; a lower one contradicts the record.
        registered = nth_application_this_month(step.session, step.case)
        payload.setdefault("count", registered)
        payload["count_in_register"] = registered
    qty = payload.get("pages") if payload.get("method") == "per_page" else payload.get("count")
    if qty:
        fee = compute_fee(str(payload["method"]), int(qty))
        payload["amount"] = fee.amount
        step.extra["fee_amount"] = fee.amount


def _identity_for_count(step: Step) -> None:
    if step.data.get("method") == "per_count":  # per-count fees count by a person's identity document
        step.extra["applicant_identity"] = identity(step)


ISSUE_FEE_NOTICE = Handler(
    Action.ISSUE_FEE_NOTICE,
    prepare=(_amount, served_letter, _identity_for_count),
    clock=clock_facts.issue_fee_notice,
)

RECORD_PAYMENT = Handler(
    Action.RECORD_PAYMENT,
    clock=clock_facts.record_payment,
    handoff=Handoff(HANDLER, "{number} 申请人已缴费", lambda d, c, _: "答复期限恢复计算"),
)

LAPSE_FEE = Handler(
    Action.LAPSE_FEE,
    prepare=(provisional_lapse,),
    clock=clock_facts.stop,
    handoff=Handoff(HANDLER, "{number} 逾期未缴费", lambda d, c, _: "已视为放弃申请，并出具终止办理告知书"),
)

HANDLERS = (ISSUE_FEE_NOTICE, RECORD_PAYMENT, LAPSE_FEE)
