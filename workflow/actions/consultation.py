"""Consultation (征求意见, Art. 32–34): asking third parties, other agencies or a department of the
office, their replies and their silence; and the confidentiality review (Art. 17)."""

from __future__ import annotations

from states import Action
from states.vocab import ConsultationParty
from workflow.actions.base import Handler, Step
from workflow.actions.common import provisional_lapse, served_letter
from workflow.clock import facts as clock_facts
from workflow.notify.handoffs import HANDLER, Handoff
from workflow.office.settings import load_office

# The letters of a consultation, by whom it asks.
CONSULTATION_LETTERS: dict[ConsultationParty, list[str]] = {
    # the third party's letter goes with a reply slip for its answer
    ConsultationParty.THIRD_PARTY: ["third_party_consultation", "third_party_reply_slip"],
    ConsultationParty.OTHER_AGENCY: ["agency_consultation"],
    ConsultationParty.INTERNAL_DEPARTMENT: ["assistance_letter"],  # 协办函: internal, does not stop the clock
}


def _consultation_letters(step: Step) -> list[str]:
    party = ConsultationParty(str(step.data["party"]))
    # An office setting adds a notice telling the applicant that the consultation stops the clock.
    notice = party is not ConsultationParty.INTERNAL_DEPARTMENT and load_office(step.session).consultation_notice == "1"
    return CONSULTATION_LETTERS[party] + (["consultation_notice"] if notice else [])


CONSULT = Handler(
    Action.CONSULT,
    prepare=(served_letter,),
    clock=clock_facts.consult,
    letters=_consultation_letters,
)


def _which_consultation(step: Step) -> None:
    """The consultation answered or lapsed: the one named, or the only one still open."""
    data, consultations = step.data, step.before.consultations
    if "consultation" not in data:
        open_ = [c for c in consultations if c.closed_on is None]
        if len(open_) == 1:
            data["consultation"] = open_[0].number


def _lapsed_on(step: Step) -> None:
    # The pause ends on the last day of the reply period, not on the (possibly late) day the
    # lapse is recorded, so a late sweep never gives the office extra days.
    if "consultation" in step.data:
        target = next((c for c in step.before.consultations if c.number == step.data["consultation"]), None)
        if target is not None and target.reply_due is not None:
            step.data["lapsed_on"] = min(target.reply_due, step.today)


RECORD_REPLY = Handler(Action.RECORD_REPLY, prepare=(_which_consultation,), clock=clock_facts.record_reply)

LAPSE_CONSULTATION = Handler(
    Action.LAPSE_CONSULTATION,
    prepare=(_which_consultation, _lapsed_on, provisional_lapse),
    clock=clock_facts.lapse_consultation,
    handoff=Handoff(HANDLER, "{number} 征求意见期满未答复", lambda d, c, _: "答复期限恢复计算，请继续办理"),
)

REVIEW_CONFIDENTIALITY = Handler(Action.REVIEW_CONFIDENTIALITY)

HANDLERS = (CONSULT, RECORD_REPLY, LAPSE_CONSULTATION, REVIEW_CONFIDENTIALITY)
