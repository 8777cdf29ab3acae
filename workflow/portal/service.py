"""What the portal does to the engine: file an application (a case on channel `online`, opened by
`workflow.service.receive_application`), check a tracking number and query code, and take the
applicant's online acts through `workflow.service.perform` as the portal actor (role `applicant`).
Every write is one transaction with its ledger event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from states import Action, CaseState, Role
from workflow.accounts.audited import audited_write
from workflow.accounts.users import PORTAL_ACTOR
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import InvalidInput, NotFound, Refused
from workflow.ledger import audit
from workflow.models import Case
from workflow.models.portal import PortalApplication, PortalSubmission, PortalUpload
from workflow.notify.inboxes import Directory, notify
from workflow.office.settings import load_office
from workflow.portal.codes import code_matches, hash_code, new_code, number_key
from workflow.portal.form import ApplicationIn
from workflow.portal.uploads import Upload
from workflow.service import Outcome, perform, receive_application
from workflow.timeutil import local_date

NOT_FOUND = "没有找到与该受理编号和查询码相符的申请，请核对后重试"
# The applicant's Art. 35 reply, recorded for the handler. Outside the clock ("portal" events): the
# handler weighs the reasons and records them with `record_reasons`, dated the day they arrived.
REASONS_ACTION = "portal_reasons"


@dataclass(frozen=True)
class Filed:
    case_id: int
    number: str
    query_code: str  # shown once; only its hash is kept
    submitted_on: date


def _attachments(
    session: Session, case_id: int, uploads: list[Upload], purpose: str, now: Any, event_seq: int | None = None
) -> list[dict[str, Any]]:
    for up in uploads:
        session.add(
            PortalUpload(
                case_id=case_id,
                purpose=purpose,
                event_seq=event_seq,
                filename=up.filename,
                media_type=up.media_type,
                size=len(up.content),
                sha256=up.sha256,
                uploaded_at=now,
                content=up.content,
            )
        )
    return [{"name": u.filename, "type": u.kind, "size": len(u.content), "sha256": u.sha256} for u in uploads]


def file_application(settings: Settings, app: ApplicationIn, uploads: list[Upload]) -> Filed:
    """Open the case (Art. 29, 31: internet channel, state `received`) with the portal's record
    beside it, in one transaction; the ledger's receive event records the attachments' hashes."""
    now = settings.now()
    today = local_date(now)
    code = new_code()

    def keep(session: Session, case: Case) -> Mapping[str, object]:
        session.add(
            PortalApplication(
                case_id=case.id or 0,
                number_key=number_key(case.number),
                code_hash=hash_code(code),
                submitted_at=now,
                submitted_on=today,
                form=app.form,
                service_method=app.service_method,
                consent_electronic=app.consent_electronic,
                phone=app.phone,
                email=app.email,
                address=app.address,
                purpose=app.purpose,
            )
        )
        files = _attachments(session, case.id or 0, uploads, "application", now)
        return {
            "portal": {
                "form": app.form,
                "service_method": app.service_method,
                "consent_electronic_service": app.consent_electronic,
                "attachments": files,
            }
        }

    case = receive_application(
        settings,
        channel="online",
        received_on=today,
        applicant=app.applicant,
        applicant_type=app.applicant_type,
        request=app.request,
        actor=PORTAL_ACTOR,
        id_number=app.id_number,
        contact=app.contact_line(),
        on_open=keep,
    )
    return Filed(case.id or 0, case.number, code, today)


def authenticate(settings: Settings, number: str, code: str) -> int:
    """The case id for a tracking number and its query code.

    Raises:
        NotFound: the same message for an unknown number and a wrong code (after the same work).
    """
    with reading(settings) as session:
        row = session.exec(select(PortalApplication).where(PortalApplication.number_key == number_key(number))).first()
    if not code_matches(row.code_hash if row else None, code) or row is None:
        raise NotFound(NOT_FOUND, "portal.not_found")
    return row.case_id


def _submission(kind: str, text: str, uploads: list[Upload], purpose: str, settings: Settings) -> Any:
    """What perform stores beside the applicant's act: the full text and the files, with the event's seq."""

    def beside(session: Session, done: Outcome) -> None:
        now = settings.now()
        session.add(
            PortalSubmission(
                case_id=done.case.id or 0, kind=kind, event_seq=done.event_seq, text=text, submitted_at=now
            )
        )
        _attachments(session, done.case.id or 0, uploads, purpose, now, done.event_seq)

    return beside


def _text(text: str, field: str, label: str, limit: int = 4000) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput(f"{field}：请填写{label}", "portal.required", field)
    if len(value) > limit:
        raise InvalidInput(f"{field}：{label}不能超过{limit}字", "portal.too_long", field)
    return value


def reply_correction(settings: Settings, case_id: int, text: str, uploads: list[Upload]) -> Outcome:
    """The applicant's corrected application (Art. 30): received the day it is submitted online."""
    body = _text(text, "text", "补正内容")
    today = local_date(settings.now())
    payload = {"received_on": today, "note": f"申请人通过在线平台提交补正：{body[:500]}"}
    return perform(
        case_id,
        Action.RECEIVE_CORRECTION.value,
        PORTAL_ACTOR,
        payload,
        settings=settings,
        beside=_submission("correction", body, uploads, "correction", settings),
    )


def confirm_payment(settings: Settings, case_id: int, paid_on: date, uploads: list[Upload]) -> Outcome:
    """The applicant says the fee is paid and shows the receipt (109号): the clock resumes."""
    if not uploads:
        raise InvalidInput("receipt：请上传缴费凭证（PDF、JPG或PNG）", "portal.receipt_required", "receipt")
    if paid_on > local_date(settings.now()):
        raise InvalidInput("paid_on：缴费日期不能晚于今天", "input.future_date", "paid_on")
    payload = {"paid_on": paid_on, "note": "申请人通过在线平台上传缴费凭证"}
    text = f"缴费日期 {paid_on.isoformat()}"
    return perform(
        case_id,
        Action.RECORD_PAYMENT.value,
        PORTAL_ACTOR,
        payload,
        settings=settings,
        beside=_submission("payment", text, uploads, "payment", settings),
    )


def withdraw(settings: Settings, case_id: int, reason: str) -> Outcome:
    """The applicant withdraws the application."""
    body = _text(reason, "reason", "撤回理由", 1000)
    payload = {"reason": body, "withdrawn_on": local_date(settings.now())}
    return perform(
        case_id,
        Action.WITHDRAW.value,
        PORTAL_ACTOR,
        payload,
        settings=settings,
        beside=_submission("withdrawal", body, [], "withdrawal", settings),
    )


def reasons_pending(events: list[Any]) -> bool:
    """The office asked for reasons (Art. 35) and the applicant has not answered since."""
    actions = [e.action for e in events]
    if "request_reasons" not in actions:
        return False
    last_ask = len(actions) - 1 - actions[::-1].index("request_reasons")
    return REASONS_ACTION not in actions[last_ask:] and "record_reasons" not in actions[last_ask:]


def give_reasons(settings: Settings, case_id: int, text: str) -> int:
    """The applicant's reasons (Art. 35), recorded on the ledger and sent to the handler, who
    decides whether they are reasonable. The case's state and deadlines do not change here."""
    body = _text(text, "text", "理由说明")
    now = settings.now()
    with transaction(settings) as session:
        case = session.exec(select(Case).where(Case.id == case_id).with_for_update()).first()
        if case is None:
            raise NotFound(NOT_FOUND, "portal.not_found")
        if CaseState(case.state) is not CaseState.UNDER_REVIEW or not reasons_pending(
            audit.case_events(session, case_id)
        ):
            raise Refused("本案当前没有需要您说明理由的事项", "portal.no_reasons_request", "text")
        ev = audited_write(
            session,
            actor=PORTAL_ACTOR,
            action=REASONS_ACTION,
            now=now,
            payload={"received_on": local_date(now), "text": body},
            roles=(Role.APPLICANT.value,),
            what="代申请人在线说明理由",
            changed=case,
            case_id=case_id,
            state=case.state,
        )
        session.add(PortalSubmission(case_id=case_id, kind="reasons", event_seq=ev.seq, text=body, submitted_at=now))
        if case.handler:
            notify(
                session,
                users=[case.handler],
                case=case,
                kind="case:portal_reasons",
                title=f"{case.number} 申请人已在线说明理由",
                body=f"{local_date(now).isoformat()}收到（请以“记录申请人说明的理由”登记，并判断是否合理）：{body[:1000]}",
                now=now,
                office=load_office(session),
                directory=Directory.load(session),
            )
        return ev.seq
