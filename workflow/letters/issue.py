"""Rendering a case's letter and issuing it for good.

Issuing happens inside the action's transaction: the letter is validated, numbered (gap-free per
series and year), rendered to HTML and .docx, stored content-addressed, and its hashes go into
the action's audit event. Later template or settings changes never touch an issued letter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from workflow.calendar import WorkCalendar
from workflow.cases.numbering import next_number
from workflow.errors import InvalidInput, NotFound, Refused
from workflow.files.attachments import disclosed_files
from workflow.ledger.audit import case_events
from workflow.ledger.projection import events_for_clock
from workflow.letters.context import Event, build_context, missing
from workflow.letters.html_blocks import parse_letter
from workflow.letters.pdf import docx_to_pdf
from workflow.letters.registry import LETTERS
from workflow.letters.render import render_html
from workflow.letters.word import DOCX_MEDIA_TYPE, build_docx
from workflow.models import Applicant, Case, Letter, LetterBlob
from workflow.moment import SESSION_FLAG, simulation_flag
from workflow.office.settings import load_office
from workflow.registry.links import catalogue_item_context

HTML_MEDIA_TYPE = "text/html; charset=utf-8"
MISSING_LABELS = {
    "decision": "答复决定（decide）",
    "case.received_on": "收到申请之日",
    "decision.access": "获取方式、途径（access）",
    "decision.grounds": "不予公开理由（grounds）",
    "decision.reason": "说明理由（reason）",
    "decision.override_reason": "公共利益理由（override_reason）",
    "correction.items": "需补正事项（items）",
    "correction.period_days": "补正期限（period_days）",
    "correction.due": "补正期限届满日",
    "extension.days": "延长天数（days）",
    "extension.reason": "延期理由（reason）",
    "extension.new_due": "延期后的答复期限",
    "consultation.addressee": "征求意见对象（addressee）",
    "consultation.reply_due": "征求意见答复期限",
    "objection.addressee": "提出异议的第三方",
    "fee.amount": "收费金额",
    "fee.lines": "收费明细",
    "fee.due": "缴费期限",
    "office.payment_instructions": "缴费方式（机关设置 payment_instructions）",
    "reasons.matter": "需说明理由的情况（matter）",
    "reasons.reply_days": "说明理由期限（工作日）",
    "consultation.reply_days": "征求意见期限（工作日）",
    "consultation.party_label": "征求意见对象类型",
    "later_date.answer_due": "延迟答复的期限",
    "later_date.reason": "延迟答复的原因",
    "assistance.department": "协办部门",
    "assistance.reply_days": "协办期限",
    "service.letter_title": "送达文书",
    "service.addressee": "受送达人",
    "service.method": "送达方式",
}


@dataclass(frozen=True)
class Rendered:
    kind: str
    html: str
    docx: bytes
    context: dict[str, Any]


def check_kind(kind: str) -> None:
    if kind not in LETTERS:
        raise InvalidInput(f"kind：'{kind}' 不是文书类型，可选：{', '.join(LETTERS)}", "letter.kind", "kind")


def checked_context(
    session: Session,
    case: Case,
    kind: str,
    events: Sequence[Event],
    *,
    cal: WorkCalendar,
    today: date,
    number: str | None,
) -> dict[str, Any]:
    """What the letter of `kind` says about the case, refused if something it must state is missing.

    Raises:
        InvalidInput: an unknown letter type. Refused: missing content (named in the message).
    """
    check_kind(kind)
    applicant = session.get(Applicant, case.applicant_id)
    context = build_context(
        case=case,
        applicant=applicant,
        events=events,
        kind=kind,
        office=load_office(session),
        cal=cal,
        today=today,
        number=number,
        catalogue_item=catalogue_item_context(session, events),
    )
    # A document issued from a simulation database must never pass for a real one.
    simulated = session.info.get(SESSION_FLAG)
    context["simulation"] = bool(simulation_flag(session.connection()) if simulated is None else simulated)
    context["attachments"] = disclosed_files(session, case.id or 0)  # the 附件 line: files sent with the letter
    gaps = missing(LETTERS[kind], context)
    if gaps:
        names = "、".join(MISSING_LABELS.get(g, g) for g in gaps)
        raise Refused(f"“{LETTERS[kind].title}”（{kind}）缺少必备内容：{names}", "letter.missing_data")
    return context


def render(
    session: Session,
    case: Case,
    kind: str,
    events: Sequence[Event],
    *,
    cal: WorkCalendar,
    today: date,
    now: datetime,
    number: str | None,
) -> Rendered:
    """Render the letter of `kind` for the case as its events stand (see `checked_context`)."""
    context = checked_context(session, case, kind, events, cal=cal, today=today, number=number)
    html = render_html(kind, context)
    office = context["office"]["name"]
    docx = build_docx(parse_letter(html), title=office + LETTERS[kind].title, issued_at=now, author=office)
    return Rendered(kind, html, docx, context)


def _store(session: Session, content: bytes, media_type: str) -> str:
    digest = hashlib.sha256(content).hexdigest()
    if session.get(LetterBlob, digest) is None:
        session.add(LetterBlob(sha256=digest, media_type=media_type, size=len(content), content=content))
        session.flush()  # the letter row's foreign key needs the blob first
    return digest


def issue(
    session: Session,
    case: Case,
    kind: str,
    events: Sequence[Event],
    *,
    cal: WorkCalendar,
    today: date,
    now: datetime,
    actor: str,
) -> Letter:
    """Number, render and store the letter; never commits (the caller's transaction does)."""
    check_kind(kind)
    spec = LETTERS[kind]
    office = load_office(session)
    seq = next_number(session, f"letter:{spec.series}", today.year)
    number = office.number(spec.series, today.year, seq)
    rendered = render(session, case, kind, events, cal=cal, today=today, now=now, number=number)
    addressee = {
        "third_party": (rendered.context.get("consultation") or {}).get("addressee"),
        "agency": (rendered.context.get("consultation") or {}).get("addressee"),
        "department": (rendered.context.get("assistance") or {}).get("department"),
    }.get(spec.addressee)
    if kind == "disclosure_despite_objection":
        addressee = (rendered.context.get("objection") or {}).get("addressee")
    letter = Letter(
        case_id=case.id or 0,
        kind=kind,
        series=spec.series,
        year=today.year,
        seq=seq,
        number=number,
        addressee=str(addressee or rendered.context["applicant"]["name"]),
        issued_at=now,
        issued_by=actor,
        docx_sha256=_store(session, rendered.docx, DOCX_MEDIA_TYPE),
        html_sha256=_store(session, rendered.html.encode(), HTML_MEDIA_TYPE),
    )
    session.add(letter)
    session.flush()
    return letter


def letters_of(session: Session, case_id: int) -> list[Letter]:
    return list(session.exec(select(Letter).where(Letter.case_id == case_id).order_by(col(Letter.id))))


def letter_bytes(session: Session, letter_id: int, fmt: str = "docx") -> tuple[Letter, bytes]:
    """An issued letter's stored bytes, checked against the hash recorded when it was issued.

    Raises:
        NotFound: no such letter. InvalidInput: an unknown format.
    """
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(f"letter：没有编号为 {letter_id} 的文书", "letter.unknown", "letter")
    if fmt not in ("docx", "html", "pdf"):
        raise InvalidInput(f"format：'{fmt}' 应为 docx、html 或 pdf", "letter.format", "format")
    digest = letter.html_sha256 if fmt == "html" else letter.docx_sha256
    blob = session.get(LetterBlob, digest)
    if blob is None or hashlib.sha256(blob.content).hexdigest() != digest:
        raise Refused(f"文书 {letter.number} 的存档内容与签发时的哈希不符", "letter.integrity")
    # A PDF is made from the checked .docx of record on each request; it is never stored.
    return letter, docx_to_pdf(blob.content) if fmt == "pdf" else blob.content


def letter_view(letter: Letter) -> dict[str, Any]:
    return {
        "id": letter.id,
        "case_id": letter.case_id,
        "kind": letter.kind,
        "title": LETTERS[letter.kind].title,
        "number": letter.number,
        "addressee": letter.addressee,
        "issued_at": letter.issued_at,
        "issued_by": letter.issued_by,
        "sha256": letter.docx_sha256,
        "html_sha256": letter.html_sha256,
    }


def preview(session: Session, case: Case, kind: str, *, cal: WorkCalendar, today: date, now: datetime) -> Rendered:
    """A draft of the letter as the case stands now: unnumbered, stored nowhere."""

    return render(
        session,
        case,
        kind,
        events_for_clock(case_events(session, case.id or 0)),
        cal=cal,
        today=today,
        now=now,
        number=None,
    )
