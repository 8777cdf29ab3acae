"""Provisional dates never lapse a case by themselves (ogi-rules §1).

A lapse (correction, fee, consultation) ends a period that binds the applicant or a third party.
When that period runs through a year whose holiday arrangement is not yet published, its last
day is only an estimate: the sweep (`system`) is refused by the guard
`calendar.provisional_no_auto_lapse` and instead asks the handler, once per due date, to confirm
(an escalation of level `confirm`). The handler may then take the lapse by hand; the event records
the provisional years the handler confirmed. Once the official year is imported the due date is
no longer provisional and the sweep lapses as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from states import Role
from states.guards import PROVISIONAL_NO_AUTO_LAPSE
from workflow.accounts.audited import audited_batch
from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.clock.deadlines import ClockFacts, Deadlines
from workflow.clock.ladder import working_days_left
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.models import Case, Consultation, Escalation
from workflow.notify.inboxes import Directory, insert_notifications
from workflow.office.settings import load_office
from workflow.timeutil import local_date

HOLD_LEVEL = "confirm"  # the escalation level: the handler must confirm a provisional lapse
HOLD_KIND = "provisional_lapse"  # the notification kind
HOLD_LABEL = "届满日为临时推算，待承办人确认"

Period = tuple[date, date]  # the day the period starts running from, its last day


def _correction(f: ClockFacts, out: Deadlines, payload: Mapping[str, Any]) -> Period | None:
    start = f.correction_delivered_on or f.correction_sent_on
    return (start, out.correction_reply_due) if start and out.correction_reply_due else None


def _fee(f: ClockFacts, out: Deadlines, payload: Mapping[str, Any]) -> Period | None:
    start = f.fee_delivered_on or f.fee_sent_on
    return (start, out.fee_due) if start and out.fee_due else None


def _consultation(f: ClockFacts, out: Deadlines, payload: Mapping[str, Any]) -> Period | None:
    target = next((c for c in out.consultations if c.number == payload.get("consultation")), None)
    if target is None or target.delivered_on is None or target.reply_due is None:
        return None
    return target.delivered_on, target.reply_due


# Each automatic lapse: the deadline it ends (the sweep's name) and how to find its period.
LAPSES: dict[str, tuple[str, Callable[[ClockFacts, Deadlines, Mapping[str, Any]], Period | None]]] = {
    "lapse_correction": ("correction_reply", _correction),
    "lapse_fee": ("fee", _fee),
    "lapse_consultation": ("consultation", _consultation),
}


def lapse_provisional_years(
    action: str, f: ClockFacts, out: Deadlines, payload: Mapping[str, Any], cal: WorkCalendar
) -> list[int]:
    """The provisional years the lapse's period runs through (empty: its last day is certain)."""
    spec = LAPSES.get(action)
    period = spec[1](f, out, payload) if spec else None
    return cal.provisional_years_between(*period) if period else []


def lapse_guard_facts(
    action: str, role: Role, f: ClockFacts, out: Deadlines, data: dict[str, Any], cal: WorkCalendar
) -> dict[str, Any]:
    """Guard facts for a lapse; a person lapsing on a provisional date has the years recorded."""
    years = lapse_provisional_years(action, f, out, data, cal)
    if years and role is not Role.SYSTEM:
        data["provisional_years_confirmed"] = years  # the handler's confirmation, in the event
    return {"role": role.value, "lapse_provisional_years": tuple(years)}


def _due(session: Session, case: Case, deadline: str, ref: int) -> date | None:
    if deadline == "correction_reply":
        return case.correction_reply_due
    if deadline == "fee":
        return case.fee_due
    stmt = select(Consultation).where(
        Consultation.case_id == case.id, Consultation.number == ref, col(Consultation.closed_on).is_(None)
    )
    row = session.exec(stmt).first()
    return row.reply_due if row else None


def _maybe_provisional(cal: WorkCalendar, due: date) -> bool:
    # Periods here are shorter than a year, so they start in the due year or the one before.
    return bool(cal.provisional_years_between(date(due.year - 1, 12, 31), due))


def key(case_id: int, action: str, payload: Mapping[str, Any]) -> tuple[int, str, int]:
    """A lapse's identity: case, action and (for a consultation) its number."""
    return case_id, action, int(payload.get("consultation") or 0)


def held(settings: Settings, items: Iterable[tuple[int, str, Mapping[str, Any]]]) -> set[tuple[int, str, int]]:
    """Of (case id, lapse action, payload), those the handler was already asked to confirm for the
    same due date that may still be provisional: the sweep does not try them again."""
    wanted = {key(cid, action, p) for cid, action, p in items if action in LAPSES}
    if not wanted:
        return set()
    ids = sorted({cid for cid, _, _ in wanted})
    out: set[tuple[int, str, int]] = set()
    with reading(settings) as session:
        cal = load_calendar(session)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            stmt = select(Escalation, Case).join(Case, col(Case.id) == Escalation.case_id)
            stmt = stmt.where(Escalation.level == HOLD_LEVEL, col(Escalation.case_id).in_(chunk))
            for esc, case in session.exec(stmt):
                action = next((a for a, (d, _) in LAPSES.items() if d == esc.deadline), None)
                if action is None:
                    continue
                found = (esc.case_id, action, esc.ref)
                if found in wanted and _due(session, case, esc.deadline, esc.ref) == esc.due_on:
                    if _maybe_provisional(cal, esc.due_on):
                        out.add(found)
    return out


REFUSED_LEVEL = "refused"  # the escalation level: the sweep's lapse was refused for another reason
REFUSED_KIND = "lapse_refused"  # the notification kind
REFUSED_LABEL = "到期未能自动处理，待承办人处理"
# The state a case waits in while each lapse is due: a refusal after the case moved on (another
# sweeper or a handler got there first) is no refusal of a due lapse.
WAITING_STATE = {
    "lapse_correction": "awaiting_correction",
    "lapse_fee": "awaiting_fee",
    "lapse_consultation": "consulting",
}


Asked = Literal["asked", "asked_before", "not_due"]


@dataclass(frozen=True)
class _Refusal:
    case: Case
    deadline: str
    ref: int
    due: date
    level: str


def _still_due(session: Session, case_id: int, action: str, ref: int, today: date, rule: str) -> _Refusal | None:
    """The lapse the sweep was refused, if the case still waits for it and its day has passed."""
    deadline, _ = LAPSES[action]
    case = session.get(Case, case_id)
    if case is None or case.state != WAITING_STATE[action]:
        return None
    due = _due(session, case, deadline, ref)
    if due is None or due >= today:
        return None
    level = HOLD_LEVEL if rule == PROVISIONAL_NO_AUTO_LAPSE else REFUSED_LEVEL
    return _Refusal(case, deadline, ref, due, level)


def _notice(r: _Refusal, label: str, message: str, rule: str) -> tuple[str, str, str]:
    """The notification's kind, title and body (ids and rules only: no personal data)."""
    if r.level == HOLD_LEVEL:
        body = f"案件{r.case.number}的{label}已于{r.due.isoformat()}届满（按临时日历）。{message}（规则 {rule}）"
        return HOLD_KIND, f"{r.case.number} {label}{HOLD_LABEL}", body
    body = (
        f"案件{r.case.number}的{label}已于{r.due.isoformat()}届满，系统未能按逾期处理：{message}（规则 {rule}）。"
        "请承办人核查并办理。"
    )
    return REFUSED_KIND, f"{r.case.number} {label}{REFUSED_LABEL}", body


def hold(
    settings: Settings,
    case_id: int,
    action: str,
    payload: Mapping[str, Any],
    refusal: WorkflowError,
    labels: Mapping[str, str],
) -> Asked:
    """Ask the case's handler (every handler while none is assigned) to act on a lapse the sweep
    was refused: to confirm it when its date is provisional, to look into it otherwise. Once per
    case, deadline, due date and reason."""
    ref = int(payload.get("consultation") or 0)
    now = settings.now()
    today = local_date(now)
    with transaction(settings) as session:
        found = _still_due(session, case_id, action, ref, today, refusal.rule)
        if found is None:
            return "not_due"
        cal = load_calendar(session)
        left = working_days_left(cal, today, found.due)
        escalation_id = _insert_hold(session, case_id, found.deadline, ref, found.due, left, now, found.level)
        if escalation_id is None:
            return "asked_before"  # for this due date and reason
        directory = Directory.load(session)
        users = directory.users_for(("handler",), found.case)
        label = labels[found.deadline] + (f"（征求意见{ref}）" if ref else "")
        kind, title, body = _notice(found, label, refusal.message, refusal.rule)
        notes: list[dict[str, object]] = [
            {"user_name": u, "case_id": case_id, "escalation_id": escalation_id, "kind": kind, "title": title}
            | {"body": body, "created_at": now}
            for u in users
        ]
        insert_notifications(session, notes, now=now, office=load_office(session), directory=directory)
        payload_: dict[str, object] = {
            "deadline": found.deadline,
            "ref": ref,
            "level": found.level,
            "due_on": found.due,
            "rule": refusal.rule,
            "lapse": action,
            "notified": users,
        }
        state = found.case.state
        event = {"case_id": case_id, "at": now, "actor": "system", "role": "system", "action": "escalate"}
        audited_batch(session, [event | {"from_state": state, "to_state": state, "payload": payload_}])
        return "asked"


def _insert_hold(
    session: Session, case_id: int, deadline: str, ref: int, due: date, left: int, now: datetime, level: str
) -> int | None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(Escalation)
        .values(
            case_id=case_id,
            deadline=deadline,
            ref=ref,
            level=level,
            due_on=due,
            effect_day=due,
            working_days_left=left,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(col(Escalation.id))
    )
    row = session.execute(stmt).first()
    return int(row[0]) if row else None
