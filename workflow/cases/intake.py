"""Opening a case: the application as it arrives (Art. 29, 31).

The date of receipt is a fact of the channel: the day an application is handed in or the office
signs for it is fixed here and registration cannot move it; an ordinary letter, an internet
submission or a fax is received on the day both sides confirm it (`confirm_receipt`). The answer
clock runs from receipt whether or not the case has been registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from sqlmodel import Session

from states import DEFAULT_RULEBOOK, CaseState, Role
from states.events import EventKind
from states.vocab import Channel
from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.calendar.store import load_calendar
from workflow.cases.applicants import applicant_digest, check_identity, digest
from workflow.cases.numbering import next_number
from workflow.cases.payloads import EARLIEST_PLAUSIBLE, check_text, is_blank
from workflow.clock.deadlines import compute
from workflow.clock.facts import facts_from_events
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Forbidden, InvalidInput
from workflow.ledger import snapshot
from workflow.ledger.projection import apply_deadlines
from workflow.models import Applicant, Case
from workflow.office.settings import office_rulebook
from workflow.timeutil import local_date

CHANNELS = tuple(c.value for c in Channel)
EARLIEST = EARLIEST_PLAUSIBLE  # nothing is received before the Regulations took effect


def _check(channel: str, received_on: date, today: date, applicant: str, request: str) -> None:
    if channel not in CHANNELS:
        raise InvalidInput(
            f"channel：'{channel}' 不是有效的申请渠道，可选：{', '.join(CHANNELS)}", "receive.channel", "channel"
        )
    if received_on > today:
        raise InvalidInput(f"date：收到日期 {received_on} 晚于今天，不能登记将来的日期", "input.future_date", "date")
    if received_on < EARLIEST:
        raise InvalidInput(
            f"date：收到日期 {received_on} 早于条例施行之日（{EARLIEST}），请核对", "input.implausible_date", "date"
        )
    if is_blank(request) or is_blank(applicant):
        field = "request" if is_blank(request) else "applicant"
        raise InvalidInput(f"{field}：必须填写（条例第二十九条）", "input.required", field)


def _new_case(
    session: Session, settings: Settings, person: Applicant, *, channel: str, received_on: date, request: str
) -> Case:
    now = settings.now()
    seq = next_number(session, "case", received_on.year)
    case = Case(
        number=f"{settings.case_number_prefix}〔{received_on.year}〕{seq}号",
        state=CaseState.RECEIVED.value,
        channel=channel,
        received_on=received_on,
        request=request.strip(),
        applicant_id=person.id or 0,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    return case


def _received(case: Case, person: Applicant, applicant_type: str) -> dict[str, object]:
    """The ledger's record of an application received."""
    return {
        "channel": case.channel,
        "received_on": case.received_on,
        "applicant_type": applicant_type,
        # digests, not the text: the ledger is exported to auditors; audit verify holds the row to them
        "request_sha256": digest(case.request),
        "applicant_sha256": applicant_digest(person.name, person.id_number),
    }


def _first_deadlines(session: Session, case: Case, payload: Mapping[str, object], received_on: date) -> None:
    facts = facts_from_events([("receive", payload, received_on)])
    apply_deadlines(session, case, compute(facts, load_calendar(session), office_rulebook(session, DEFAULT_RULEBOOK)))


def receive_application(
    settings: Settings,
    *,
    channel: str,
    received_on: date,
    applicant: str,
    applicant_type: str,
    request: str,
    actor: str,
    id_number: str | None = None,
    contact: str | None = None,
    on_open: Callable[[Session, Case], Mapping[str, object]] | None = None,
) -> Case:
    """Open a case in state `received` (Art. 29, 31). `received_on` is the day it arrived: the
    date of receipt for an application handed in or signed for, else the day awaiting confirmation.
    `on_open` stores what the caller keeps beside the case (the portal's data) in the same
    transaction and returns facts for the ledger event.

    Raises:
        InvalidInput: a bad channel, date, applicant or empty request. Forbidden: not a registrar.
    """
    now = settings.now()
    _check(channel, received_on, local_date(now), applicant, request)
    for field, value in (("request", request), ("applicant", applicant), ("id_number", id_number or ""),
                         ("contact", contact or "")):  # fmt: skip
        check_text(field, value)
    number_ok = check_identity(applicant_type, id_number)
    with transaction(settings) as session:
        user = get_user(session, actor)
        # An applicant files only for themself, and only through the internet channel (the portal).
        by_applicant = channel == Channel.ONLINE and Role.APPLICANT.value in user.role_set()
        if not ({Role.REGISTRAR.value, Role.HANDLER.value} & user.role_set() or by_applicant):
            raise Forbidden(f"用户“{actor}”无权收件，须由登记员或承办人办理", "role.forbidden", "actor")
        person = Applicant(name=applicant.strip(), kind=applicant_type, id_number=number_ok, contact=contact)
        session.add(person)
        session.flush()
        case = _new_case(session, settings, person, channel=channel, received_on=received_on, request=request)
        payload = _received(case, person, applicant_type)
        kept = dict(on_open(session, case)) if on_open else {}
        _first_deadlines(session, case, payload, received_on)
        recorded = audited_write(
            session,
            actor=actor,
            action=EventKind.RECEIVE,
            now=now,
            payload={**payload, **kept},
            roles=(Role.APPLICANT.value,) if by_applicant else (Role.REGISTRAR.value, Role.HANDLER.value),
            what="收件",
            case_id=case.id,
            moves=(None, case.state),
        )
        snapshot.store(case, snapshot.CaseFacts(), recorded)
        return case
