"""What an applicant sees of their case: the state in plain Chinese, what the office is waiting
for, the answer date, and the letters issued to them. Nothing of staff, other parties, internal
notes or consultations' addressees is ever put in here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from states import CaseState
from states.vocab import ServiceMethod
from workflow.accounts.users import PORTAL_ACTOR
from workflow.clock.facts import facts_from_events
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import NotFound, Refused
from workflow.ledger import audit
from workflow.ledger.projection import events_for_clock
from workflow.letters.issue import letter_bytes, letters_of
from workflow.letters.registry import LETTERS
from workflow.models import Case, Letter, ServiceRecord
from workflow.models.portal import PortalApplication, PortalLetterAccess, PortalSubmission
from workflow.portal.form import FORMS, SERVICE_METHODS
from workflow.portal.service import NOT_FOUND, reasons_pending
from workflow.service import perform
from workflow.timeutil import local_date, local_stamp

S = CaseState
ONLINE = ServiceMethod.ONLINE.value
# (what the applicant reads, what the office is waiting for)
PLAIN: dict[CaseState, tuple[str, str]] = {
    S.RECEIVED: ("已提交，待确认收到", "工作人员确认收到您的申请"),
    S.REGISTERED: ("已受理，正在办理", "本机关办理您的申请"),
    S.AWAITING_CORRECTION: ("需要您补正申请", "您补正申请内容"),
    S.UNDER_REVIEW: ("正在审查", "本机关审查您申请的信息"),
    S.CONSULTING: ("正在征求有关方面意见", "有关方面答复；征求意见的时间不计入答复期限"),
    S.AWAITING_FEE: ("需要您缴纳信息处理费", "您缴纳信息处理费；缴费前答复期限暂停计算"),
    S.DRAFTING: ("正在办理", "本机关作出答复"),
    S.AWAITING_APPROVAL: ("正在办理", "本机关作出答复"),
    S.ANSWERED: ("已答复", "您查收答复文书"),
    S.CLOSED: ("已办结", ""),
    S.WITHDRAWN: ("已撤回", ""),
    S.DEEMED_ABANDONED: ("已终止（逾期未补正，视为放弃申请）", ""),
    S.ABANDONED_UNPAID: ("已终止（逾期未缴费，视为放弃申请）", ""),
}
TERMINAL = {S.CLOSED, S.WITHDRAWN, S.DEEMED_ABANDONED, S.ABANDONED_UNPAID}
SUBMISSION_LABELS = {"correction": "补正", "reasons": "说明理由", "payment": "缴费凭证", "withdrawal": "撤回申请"}


def applicant_letters(session: Session, case_id: int) -> list[Letter]:
    """The letters addressed to the applicant (never the third parties' or other agencies')."""
    return [x for x in letters_of(session, case_id) if LETTERS[x.kind].addressee == "applicant"]


def _last_payload(events: list[Any], action: str) -> dict[str, Any]:
    found = next((e for e in reversed(events) if e.action == action), None)
    return audit.payload_of(found) if found is not None else {}


def _asks(state: CaseState, case: Case, events: list[Any]) -> dict[str, Any]:
    """What the office has asked of the applicant that the portal lets them answer now."""
    asks: dict[str, Any] = {}
    if state is S.AWAITING_CORRECTION:
        asks["correction"] = {
            "items": _last_payload(events, "request_correction").get("items"),
            "due": case.correction_reply_due,
        }
    if state is S.AWAITING_FEE:
        asks["payment"] = {"amount": _last_payload(events, "issue_fee_notice").get("amount"), "due": case.fee_due}
    if state is S.UNDER_REVIEW and reasons_pending(events):
        asks["reasons"] = {"matter": _last_payload(events, "request_reasons").get("matter")}
    asks["withdraw"] = state not in TERMINAL and state is not S.ANSWERED
    return asks


def status(settings: Settings, case_id: int) -> dict[str, Any]:
    """The applicant's view of the case, as plain data for the page and the JSON API."""
    with reading(settings) as session:
        case = session.get(Case, case_id)
        row = session.exec(select(PortalApplication).where(PortalApplication.case_id == case_id)).first()
        if case is None or row is None:
            raise NotFound(NOT_FOUND, "portal.not_found")
        events = audit.case_events(session, case_id)
        letters = applicant_letters(session, case_id)
        opened = {
            a.letter_id: a
            for a in session.exec(select(PortalLetterAccess).where(PortalLetterAccess.case_id == case_id))
        }
        subs = list(session.exec(select(PortalSubmission).where(PortalSubmission.case_id == case_id)))
        served = {
            r.letter_id: r.delivered_on
            for r in session.exec(select(ServiceRecord).where(ServiceRecord.case_id == case_id))
        }
    state = CaseState(case.state)
    label, waiting = PLAIN[state]
    # Art. 31(3): an internet application is received on the day both sides confirm it.
    confirmed = not facts_from_events(events_for_clock(events)).receipt_pending
    if state is S.RECEIVED and confirmed:
        label, waiting = "已确认收到，待登记", "本机关登记您的申请"
    clock_runs = case.clock_state == "running" and state not in TERMINAL
    return {
        "number": case.number,
        "state": state.value,
        "state_label": label,
        "waiting_for": waiting,
        "submitted_on": row.submitted_on,
        "received_on": case.received_on if confirmed else None,
        "answer_due": case.answer_due if clock_runs else None,
        "answered_on": case.answered_on,
        "request": case.request,
        "form": FORMS[row.form],
        "service_method": SERVICE_METHODS[row.service_method],
        "electronic_service": row.consent_electronic,
        "asks": _asks(state, case, events),
        "letters": [
            {
                "id": x.id,
                "title": LETTERS[x.kind].title,
                "number": x.number,
                "issued_on": local_date(x.issued_at),
                "opened_at": opened[x.id].first_at if x.id in opened else None,
                "delivered_on": served.get(x.id or 0),
            }
            for x in letters
        ],
        "submissions": [
            {"kind": SUBMISSION_LABELS.get(s.kind, s.kind), "submitted_on": local_date(s.submitted_at)} for s in subs
        ],
    }


def _keep_access(case_id: int, letter_id: int, now: datetime) -> Callable[..., None]:
    def keep(session: Session, *_: object) -> None:
        access = session.get(PortalLetterAccess, letter_id)
        if access is None:
            access = PortalLetterAccess(letter_id=letter_id, case_id=case_id, first_at=now, last_at=now)
        else:
            access.last_at, access.count = now, access.count + 1
        session.add(access)

    return keep


def _served_online(session: Session, case_id: int, letter_id: int) -> bool:
    """Whether opening the letter is its service: the applicant consented to electronic service and
    the letter went out on the portal with no delivery recorded yet."""
    row = session.exec(select(PortalApplication).where(PortalApplication.case_id == case_id)).first()
    record = session.exec(select(ServiceRecord).where(ServiceRecord.letter_id == letter_id)).first()
    return bool(row and row.consent_electronic and record and record.method == ONLINE and record.delivered_on is None)


def open_letter(settings: Settings, case_id: int, letter_id: int, fmt: str = "docx") -> tuple[Letter, bytes, datetime]:
    """The bytes of a letter addressed to the applicant, recording when they opened it. For an
    applicant who consented to electronic service, the first opening of a letter served on the
    portal is its delivery: `record_delivery` (method online), dated that day, the time in the proof.

    Raises:
        NotFound: no such letter on this case for the applicant.
    """
    now = settings.now()
    with reading(settings) as session:
        letter = session.get(Letter, letter_id)
        if letter is None or letter.case_id != case_id or LETTERS[letter.kind].addressee != "applicant":
            raise NotFound("没有找到该文书", "portal.letter_unknown", "letter")
        letter, content = letter_bytes(session, letter_id, fmt)
        serve = _served_online(session, case_id, letter_id)
    keep = _keep_access(case_id, letter_id, now)
    if serve:
        how = "在线查看" if fmt == "html" else "下载"
        payload = {
            "letter": letter_id,
            "delivered_on": local_date(now),
            "method": ONLINE,
            "proof": f"申请人于{local_stamp(now)}（北京时间）在依申请公开平台{how}该文书",
        }
        try:
            perform(case_id, "record_delivery", PORTAL_ACTOR, payload, settings=settings, beside=keep)
            return letter, content, now
        except Refused:
            pass  # recorded a moment ago by another request, or by staff: keep the access only
    with transaction(settings) as session:
        keep(session)
        first = session.get(PortalLetterAccess, letter_id)
        return letter, content, first.first_at if first else now
