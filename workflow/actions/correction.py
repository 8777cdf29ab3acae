"""Correction (补正, Art. 30): the notice, the corrected application, and the lapse when none came."""

from __future__ import annotations

from states import DEFAULT_RULEBOOK, Action
from workflow.actions.base import Handler, Step
from workflow.actions.common import provisional_lapse, served_letter
from workflow.clock import facts as clock_facts
from workflow.notify.handoffs import HANDLER, Handoff


def _period(step: Step) -> None:
    step.data.setdefault("period_days", DEFAULT_RULEBOOK.correction_reply_default_days)


REQUEST_CORRECTION = Handler(
    Action.REQUEST_CORRECTION,
    prepare=(_period, served_letter),
    clock=clock_facts.request_correction,
)

RECEIVE_CORRECTION = Handler(
    Action.RECEIVE_CORRECTION,
    clock=clock_facts.receive_correction,
    handoff=Handoff(HANDLER, "{number} 申请人已补正", lambda d, c, _: "答复期限自收到补正之日起重新计算"),
)

LAPSE_CORRECTION = Handler(
    Action.LAPSE_CORRECTION,
    prepare=(provisional_lapse,),
    clock=clock_facts.stop,
    handoff=Handoff(HANDLER, "{number} 逾期未补正", lambda d, c, _: "已视为放弃申请，并出具终止办理告知书"),
)

HANDLERS = (REQUEST_CORRECTION, RECEIVE_CORRECTION, LAPSE_CORRECTION)
