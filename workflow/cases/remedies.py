"""Recording reconsideration and litigation on a case: an audited, role-checked fact that does not
change the case (its state, version and deadlines stay as they are).

Each call is one transaction: the case row is locked (so two decisions cannot both answer the same
filing), the input is checked against the case's own ledger and one `record_remedy` event is
appended with from_state = to_state = the case's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from states.remedies import (
    EVENT_LABELS,
    KIND_LABELS,
    PREREQUISITES,
    REMEDY_ACTION,
    REMEDY_ROLE_ORDER,
    REMEDY_ROLES,
    RESULT_LABELS,
    RemedyEvent,
    RemedyKind,
    RemedyResult,
)
from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Forbidden, InvalidInput, NotFound, Refused
from workflow.ledger import audit
from workflow.ledger.projection import local_date_of_stamp
from workflow.models import AuditEvent, Case
from workflow.timeutil import local_date


@dataclass(frozen=True)
class RemedyRecord:
    """A filing or decision as recorded on a case's ledger."""

    seq: int  # the audit event
    case_id: int
    kind: str
    event: str
    on: date
    result: str | None = None
    filing: int | None = None  # for a decision: the seq of the filing it decides


def _choice(value: str, enum: type[RemedyKind] | type[RemedyEvent] | type[RemedyResult], name: str) -> str:
    choices = [m.value for m in enum]
    if value not in choices:
        raise InvalidInput(f"{name}：'{value}' 不是可选值，可选：{', '.join(choices)}", f"remedy.{name}", name)
    return value


def remedies_of(events: list[AuditEvent]) -> list[RemedyRecord]:
    """The remedy records among a case's events, oldest first."""
    out = []
    for ev in events:
        if ev.action != REMEDY_ACTION:
            continue
        p = audit.payload_of(ev)
        out.append(
            RemedyRecord(
                seq=ev.seq,
                case_id=ev.case_id or 0,
                kind=str(p.get("kind")),
                event=str(p.get("event")),
                on=date.fromisoformat(str(p.get("on") or local_date_of_stamp(ev.at).isoformat())),
                result=p.get("result"),
                filing=p.get("filing"),
            )
        )
    return out


def open_filings(records: list[RemedyRecord], kind: str) -> list[RemedyRecord]:
    """The filings of `kind` that no decision has answered yet, oldest first."""
    decided = {r.filing for r in records if r.event == RemedyEvent.DECIDED.value}
    return [r for r in records if r.kind == kind and r.event == RemedyEvent.FILED.value and r.seq not in decided]


def _check_input(kind: str, event: str, result: str | None, on: date, today: date, received_on: date) -> None:
    _choice(kind, RemedyKind, "kind")
    _choice(event, RemedyEvent, "event")
    if event == RemedyEvent.DECIDED.value:
        if not result:
            raise InvalidInput(
                "result：记录复议决定或裁判结果时必须填写结果（upheld|corrected|other）", "remedy.result", "result"
            )
        _choice(result, RemedyResult, "result")
    elif result:
        raise InvalidInput(
            "result：申请复议或起诉时尚无结果，请在作出决定后以 --event decided 记录", "remedy.result", "result"
        )
    if on > today:
        raise InvalidInput(f"date：{on} 晚于今天（{today}），不能登记将来的日期", "input.future_date", "date")
    if on < received_on:
        raise InvalidInput(f"date：{on} 早于收到申请之日（{received_on}）", "input.before_receipt", "date")


def _check_order(records: list[RemedyRecord], kind: str, event: str, on: date) -> int | None:
    """The filing a decision answers (None for a filing); refuses an impossible order."""
    label = KIND_LABELS[RemedyKind(kind)]
    if event == RemedyEvent.FILED.value:
        needed = PREREQUISITES.get(RemedyKind(kind))
        if needed is not None and not any(
            r.kind == needed.value and r.event == RemedyEvent.FILED.value and r.on <= on for r in records
        ):
            raise Refused(
                f"本案没有 {on} 或之前申请{KIND_LABELS[needed]}的记录，不能登记“{label}”；请先登记行政复议申请",
                "remedy.needs_reconsideration",
            )
        return None
    pending = open_filings(records, kind)
    if not pending:
        raise Refused(f"本案没有尚未审结的“{label}”申请，须先登记申请（--event filed）再登记结果", "remedy.no_filing")
    filing = pending[0]
    if on < filing.on:
        raise InvalidInput(f"date：结果日期 {on} 早于申请日期 {filing.on}", "remedy.date_order", "date")
    return filing.seq


def record_remedy(
    settings: Settings,
    case_id: int,
    *,
    kind: str,
    actor: str,
    event: str,
    result: str | None = None,
    on: date | None = None,
) -> RemedyRecord:
    """Record that the applicant applied for reconsideration or sued (`filed`), or the result
    (`decided`: upheld | corrected | other) of the oldest undecided filing of that kind.

    Raises:
        NotFound: no such case or user. Forbidden: the actor is neither a handler nor an admin.
        InvalidInput: a bad kind, event, result or date. Refused: a decision without a filing, or a
        lawsuit after reconsideration without a reconsideration on record. Nothing is written.
    """
    now = settings.now()
    today = local_date(now)
    day = on or today
    with transaction(settings) as session:
        case = _locked_case(session, case_id)
        user = get_user(session, actor)
        role = next((r for r in REMEDY_ROLE_ORDER if r.value in user.role_set()), None)
        if role is None:
            allowed = "、".join(sorted(r.value for r in REMEDY_ROLES))
            raise Forbidden(
                f"用户“{user.name}”（角色：{user.roles}）无权登记行政复议、行政诉讼情况，须由以下角色办理：{allowed}",
                "role.forbidden",
                "actor",
            )
        _check_input(kind, event, result, day, today, case.received_on)
        records = remedies_of(audit.case_events(session, case_id))
        filing = _check_order(records, kind, event, day)
        payload: dict[str, Any] = {"kind": kind, "event": event, "on": day}
        if result:
            payload["result"] = result
        if filing is not None:
            payload["filing"] = filing
        ev = audited_write(
            session,
            actor=actor,
            action=REMEDY_ACTION,
            now=now,
            payload=payload,
            roles=tuple(r.value for r in REMEDY_ROLE_ORDER),
            what="登记行政复议、行政诉讼情况",
            case_id=case_id,
            state=case.state,
        )
        return RemedyRecord(ev.seq, case_id, kind, event, day, result, filing)


def _locked_case(session: Session, case_id: int) -> Case:
    case = session.exec(select(Case).where(Case.id == case_id).with_for_update()).first()
    if case is None:
        raise NotFound(f"case：没有编号为 {case_id} 的案件", "case.unknown", "case")
    return case


def describe(record: RemedyRecord) -> str:
    """One line for people: 行政复议 申请复议或起诉 2026-12-01 (结果维持)."""
    text = f"{KIND_LABELS[RemedyKind(record.kind)]} {EVENT_LABELS[RemedyEvent(record.event)]} {record.on.isoformat()}"
    return text + (f"：{RESULT_LABELS[record.result]}" if record.result else "")
