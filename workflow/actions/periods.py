"""The answer period itself: its extension (Art. 33(2)) and, for requests beyond a reasonable
scope, the applicant's reasons and a reasonable later date (Art. 35)."""

from __future__ import annotations

from states import DEFAULT_RULEBOOK, Action
from workflow.actions.base import Handler, Step, spec_letter
from workflow.actions.common import served_letter
from workflow.clock import facts as clock_facts

# Art. 33(2): the approver extends the answer period once, by at most 20 working days (the
# guards hold the limits). Nothing to fill in and nothing on the case row but its due dates: the
# clock counts the days and the statute's letter (延期答复告知书) tells the applicant.
EXTEND = Handler(Action.EXTEND, clock=clock_facts.extend, letters=spec_letter)


def _reply_days(step: Step) -> None:
    step.data.setdefault("reply_days", DEFAULT_RULEBOOK.reasons_reply_default_days)


REQUEST_REASONS = Handler(
    Action.REQUEST_REASONS,
    prepare=(_reply_days, served_letter),
    clock=clock_facts.request_reasons,
)

RECORD_REASONS = Handler(Action.RECORD_REASONS, clock=clock_facts.record_reasons)

SET_LATER_DATE = Handler(Action.SET_LATER_DATE, clock=clock_facts.set_later_date)

HANDLERS = (EXTEND, REQUEST_REASONS, RECORD_REASONS, SET_LATER_DATE)
