"""Prepare steps that several actions share: sending facts of a served letter, the applicant's
identity document and the provisional years of a lapse."""

from __future__ import annotations

from workflow.actions.base import Step
from workflow.actions.provisional import lapse_guard_facts
from workflow.cases.applicants import identity_document
from workflow.clock import delivery
from workflow.models import Applicant


def served_letter(step: Step) -> None:
    """The letter starts a period of its addressee's, counted from delivery (送达): record how and
    when it went out (as the application came in unless the handler says otherwise)."""
    delivery.fill_defaults(step.action, step.case, step.data, step.today)


def identity(step: Step) -> str:
    """Art. 29(2)(1): the identity document the application was registered with."""
    person = step.session.get(Applicant, step.case.applicant_id)
    return identity_document(person.kind, person.id_number) if person else "missing"


def provisional_lapse(step: Step) -> None:
    """A lapse on a provisional due date (ogi-rules §1): the years it runs through; a person
    taking it confirms them in the event, the sweep is refused."""
    step.extra.update(lapse_guard_facts(step.action.value, step.role, step.facts, step.before, step.data, step.cal))
