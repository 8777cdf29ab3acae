"""Service (送达): recording that an addressee received a letter, and closing a case once its
answer is served."""

from __future__ import annotations

from states import Action
from workflow.actions.base import Handler, Step
from workflow.clock import delivery
from workflow.clock import facts as clock_facts


def _letters_on_record(step: Step) -> None:
    step.extra["letters"] = delivery.letter_facts(step.session, step.case.id or 0)


def _delivered(step: Step) -> None:
    delivery.record_delivery(step.session, step.data, step.actor, step.now)


RECORD_DELIVERY = Handler(
    Action.RECORD_DELIVERY,
    prepare=(_letters_on_record,),
    clock=clock_facts.record_delivery,
    deliver=_delivered,
)


def _answer_delivered(step: Step) -> None:
    delivery.record_answer_delivery(step.session, step.case, step.data, step.actor, step.now)


CLOSE = Handler(Action.CLOSE, deliver=_answer_delivered)

HANDLERS = (RECORD_DELIVERY, CLOSE)
