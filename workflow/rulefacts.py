"""Facts the engine adds to an action before its guards run, and records in its event, for the
rules of issue 12 points 6 and 7: provisional lapses (ogi-rules §1), the identity document an
application was registered with (Art. 29) and a late approval (Art. 33)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from states import Action, Role
from workflow.applicants import identity_document
from workflow.calendar import WorkCalendar
from workflow.clock import ClockFacts, Deadlines
from workflow.models import Applicant, Case
from workflow.provisional import lapse_guard_facts


def _identity(session: Session, case: Case) -> str:
    person = session.get(Applicant, case.applicant_id)
    return identity_document(person.kind, person.id_number) if person else "missing"


def engine_facts(
    session: Session,
    case: Case,
    act: Action,
    role: Role,
    f: ClockFacts,
    out: Deadlines,
    data: dict[str, Any],
    cal: WorkCalendar,
    today: date,
) -> dict[str, Any]:
    """Guard facts for `act`; what the event must record is added to `data`."""
    extra = lapse_guard_facts(act.value, role, f, out, data, cal)
    if act is Action.REGISTER:
        # Art. 29(2)(1): an application states 身份证明; registration records whether it did.
        data["identity_document"] = _identity(session, case)
    elif act is Action.ISSUE_FEE_NOTICE and data.get("method") == "per_count":
        extra["applicant_identity"] = _identity(session, case)
    elif act is Action.APPROVE and out.answer_due is not None and today > out.answer_due:
        data["answer_due_passed"] = out.answer_due  # approved late, confirmed by the approver
    return extra
