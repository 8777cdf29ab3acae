"""Who hears about an action: the people the case now waits on, told in their inbox (and by e-mail
through the outbox) in the same transaction as the action, so a hand-off is never lost or sent for
an action that rolled back. Deadline warnings are the sweep's job (workflow/sweep/cases.py), not this."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from states import Action, Role
from workflow.models import Case, Letter
from workflow.notify.applicants import notify_applicant
from workflow.notify.inboxes import Directory, insert_notifications
from workflow.office.settings import load_office

ASSIGNEE, HANDLER, APPROVERS = "assignee", "handler", "approvers"
HANDLER_OR_ALL = "handler_or_all"  # the case's handler, or every handler while none is assigned


@dataclass(frozen=True)
class Handoff:
    to: str  # ASSIGNEE (the user named in the payload), HANDLER (the case's) or APPROVERS (every approver)
    title: str  # {number} is the case number
    body: Callable[[Mapping[str, Any], Case, Letter | None], str]
    when: Callable[[Mapping[str, Any]], bool] | None = None  # only for actions whose data says so


def notify_handoff(
    session: Session,
    case: Case,
    action: Action,
    handoff: Handoff | None,
    actor: str,
    data: Mapping[str, Any],
    letter: Letter | None,
    now: datetime,
) -> int:
    """Tell the people the case now waits on; the actor is never told of their own action."""
    notify_applicant(session, case, action.value, data, letter, now)  # applicants who filed on the portal
    if handoff is None or (handoff.when is not None and not handoff.when(data)):
        return 0
    office = load_office(session)
    directory: Directory | None = None
    if handoff.to in (APPROVERS, HANDLER_OR_ALL) or office.smtp_host:
        directory = Directory.load(session)
    if handoff.to == ASSIGNEE:
        users = [str(data["handler"])]
    elif handoff.to == HANDLER:
        users = [case.handler] if case.handler else []
    elif handoff.to == HANDLER_OR_ALL:
        users = directory.users_for((Role.HANDLER.value,), case) if directory else []
    else:
        users = list(directory.by_role.get(Role.APPROVER.value, [])) if directory else []
    users = [u for u in users if u != actor]
    if not users:
        return 0
    title, body = handoff.title.format(number=case.number), handoff.body(data, case, letter)
    rows: list[dict[str, object]] = [
        {
            "user_name": u,
            "case_id": case.id,
            "kind": f"case:{action.value}",
            "title": title,
            "body": body,
            "created_at": now,
        }
        for u in users
    ]
    return insert_notifications(session, rows, now=now, office=office, directory=directory or Directory({}, {}))
