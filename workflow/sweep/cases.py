"""The deadline sweep: finds due work through the indexed due-date columns (never a scan of all
open cases), escalates it up the ladder and applies the statutory lapses.

Every escalation has a unique key (case, deadline, ref, level, due date, day), so a repeated,
concurrent or redelivered sweep never duplicates an effect; lapses are state transitions through
`perform`, which can happen only once. Concurrent sweepers on PostgreSQL skip each other's rows
(FOR UPDATE SKIP LOCKED).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from states.deadlines import DEADLINE_KINDS
from states.guards import PROVISIONAL_NO_AUTO_LAPSE
from states.vocab import ClockState
from workflow.accounts.audited import audited_batch
from workflow.actions import provisional
from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.clock.ladder import LEVEL_LABELS, Rung, horizon_days, parse_ladder, rung_for, working_days_left
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.models import Case, Consultation, Escalation
from workflow.notify.inboxes import Directory, insert_notifications
from workflow.office.settings import Office, load_office
from workflow.service import perform
from workflow.sweep.registry import RegistrySweep, sweep_registry
from workflow.timeutil import local_date

log = logging.getLogger("ogi.sweep")

# Escalations and reminders name their deadline as every list does (their keys drop the "_due").
DEADLINE_LABELS = {kind.removesuffix("_due"): spec.label for kind, spec in DEADLINE_KINDS.items()}
# Art. 31: the answer clock runs from receipt, registered or not.
CLOCKED = ("received", "registered", "under_review", "consulting", "awaiting_fee", "drafting", "awaiting_approval")
ACTIVE = CLOCKED[1:] + ("awaiting_correction",)
# An unconfirmed delivery is the handler's to chase (a rung of its own): nobody else is told, and
# no case is flagged, since no statutory period has run out.
DELIVERY_LADDER: tuple[Rung, ...] = (
    Rung("red", 0, ("handler",)),
    Rung("overdue", -1, ("handler",), repeat_daily=True),
)
LADDERS = {"delivery": DELIVERY_LADDER}


@dataclass(frozen=True)
class CaseDeadline:
    name: str
    column: Any
    states: tuple[str, ...]
    lapse: str | None = None  # the action applied once the deadline has passed
    running_only: bool = False


# Only deadlines that oblige someone are escalated (states.deadlines): the 7 working days to ask
# for a correction (Art. 30) close an option of the office, and nobody is reminded of them.
CASE_DEADLINES = (
    CaseDeadline("answer", Case.answer_due, CLOCKED, running_only=True),
    CaseDeadline("correction_reply", Case.correction_reply_due, ("awaiting_correction",), lapse="lapse_correction"),
    CaseDeadline("fee", Case.fee_due, ("awaiting_fee",), lapse="lapse_fee"),
    CaseDeadline("registration", Case.registration_due, ("received",)),
    CaseDeadline("delivery", Case.delivery_due, ACTIVE),
    # Art. 35: once the reasons period passes the handler decides; nothing lapses by itself.
    CaseDeadline("reasons", Case.reasons_due, ("under_review",)),
)


@dataclass
class SweepReport:
    as_of: date
    scanned: int = 0
    escalations: list[tuple[str, str, str]] = field(default_factory=list)  # case number, deadline, level
    notifications: int = 0
    lapses: list[tuple[str, str]] = field(default_factory=list)  # case number, action
    holds: list[tuple[str, str]] = field(default_factory=list)  # lapses left to the handler (provisional date)
    refused: list[tuple[str, str]] = field(default_factory=list)  # lapses refused for another reason: handler asked
    seconds: float = 0.0
    registry: RegistrySweep | None = None  # the information registry's own sweep


@dataclass(frozen=True)
class _Context:
    settings: Settings
    now: datetime
    today: date
    cal: WorkCalendar
    office: Office
    ladder: tuple[Rung, ...]
    directory: Directory


@dataclass(frozen=True)
class _Due:
    case: Case
    deadline: str
    ref: int
    due: date
    kind: str = ""  # the states.deadlines kind when it differs from the deadline's (协办: "assist_due")


def _key(deadline: str, ref: int, level: str, due: date, day: date) -> tuple[str, int, str, date, date]:
    return deadline, ref, level, due, day


_Candidate = tuple[_Due, Rung, int, date]  # the deadline, its rung, working days left, the effect's day


def _candidates(ctx: _Context, items: list[_Due]) -> list[_Candidate]:
    """The items that stand on a rung of their ladder today."""
    out: list[_Candidate] = []
    for item in items:
        days_left = working_days_left(ctx.cal, ctx.today, item.due)
        rung = rung_for(days_left, LADDERS.get(item.deadline, ctx.ladder))
        if rung is None or (rung.repeat_daily and not ctx.cal.is_workday(ctx.today)):
            continue
        out.append((item, rung, days_left, ctx.today if rung.repeat_daily else item.due))
    return out


def _insert_new(session: Session, ctx: _Context, candidates: list[_Candidate]) -> dict[tuple[Any, ...], int]:
    """Insert-or-ignore one escalation row per candidate; the ids of those that are new, by key."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    rows = [
        {
            "case_id": it.case.id,
            "deadline": it.deadline,
            "ref": it.ref,
            "level": rung.level,
            "due_on": it.due,
            "effect_day": day,
            "working_days_left": left,
            "created_at": ctx.now,
        }
        for it, rung, left, day in candidates
    ]
    key_columns = (Escalation.deadline, Escalation.ref, Escalation.level, Escalation.due_on, Escalation.effect_day)
    returned = (col(c) for c in (Escalation.id, Escalation.case_id, *key_columns))
    stmt = insert(Escalation).on_conflict_do_nothing().returning(*returned)
    # executemany with RETURNING: ignored duplicates simply return nothing
    return {(r[1], *_key(r[2], r[3], r[4], r[5], r[6])): r[0] for r in session.execute(stmt, rows)}


def _notes(ctx: _Context, candidate: _Candidate, escalation_id: int, users: list[str]) -> list[dict[str, object]]:
    it, rung, left, _ = candidate
    case = it.case
    name = DEADLINE_KINDS[it.kind].label if it.kind else DEADLINE_LABELS[it.deadline]
    label = name + (f"（征求意见{it.ref}）" if it.ref else "")
    remaining = f"已逾期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"
    return [
        {
            "user_name": u,
            "case_id": case.id,
            "escalation_id": escalation_id,
            "kind": "escalation",
            "title": f"{case.number} {label}{LEVEL_LABELS[rung.level]}",
            "body": f"案件{case.number}的{label}为{it.due.isoformat()}，{remaining}。",
            "created_at": ctx.now,
        }
        for u in users
    ]


def _event(ctx: _Context, candidate: _Candidate, users: list[str], flag: bool) -> dict[str, object]:
    it, rung, left, _ = candidate
    payload = {
        "deadline": it.deadline,
        "ref": it.ref,
        "level": rung.level,
        "due_on": it.due,
        "working_days_left": left,
        "notified": users,
        **({"flagged": True, "version": it.case.version + 1} if flag else {}),
    }
    state = it.case.state
    return {"case_id": it.case.id, "at": ctx.now, "actor": "system", "role": "system", "action": "escalate"} | {
        "from_state": state,
        "to_state": state,
        "payload": payload,
    }


def _escalate_batch(session: Session, ctx: _Context, items: list[_Due], report: SweepReport) -> None:
    """Escalate a batch with a handful of statements: insert-or-ignore the effects, then the
    notifications, flags and audit events of the ones that are new."""
    candidates = _candidates(ctx, items)
    if not candidates:
        return
    new = _insert_new(session, ctx, candidates)
    notes: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    flagged: list[Case] = []
    for candidate in candidates:
        it, rung, _, day = candidate
        escalation_id = new.get((it.case.id, *_key(it.deadline, it.ref, rung.level, it.due, day)))
        if escalation_id is None:
            continue  # this effect already happened
        users = ctx.directory.users_for(rung.roles, it.case)
        notes += _notes(ctx, candidate, escalation_id, users)
        flag = rung.flag and not it.case.flagged
        if flag:
            it.case.flagged = True  # for auditors: the event records it, and the case's version moves
            flagged.append(it.case)
        events.append(_event(ctx, candidate, users, flag))
        report.escalations.append((it.case.number, it.deadline, rung.level))
    report.notifications += insert_notifications(
        session, notes, now=ctx.now, office=ctx.office, directory=ctx.directory
    )
    audited_batch(session, events, changed=flagged)


def _batches(
    settings: Settings,
    query: Callable[[tuple[date, int] | None], Any],
    handle: Callable[[Any], tuple[tuple[date, int], _Due | None]],
    finish: Callable[[Session, list[_Due]], None],
) -> int:
    """Walk the due rows in (due date, id) order, one transaction per batch (keyset paging)."""
    after: tuple[date, int] | None = None
    seen = 0
    while True:
        with transaction(settings) as session:
            rows = list(session.exec(query(after).limit(settings.sweep_batch)))
            due: list[_Due] = []
            for row in rows:
                after, item = handle(row)
                if item is not None:
                    due.append(item)
            finish(session, due)
            seen += len(rows)
        if len(rows) < settings.sweep_batch:
            return seen
        if settings.sweep_batch_pause:
            time.sleep(settings.sweep_batch_pause)


def _case_deadline(ctx: _Context, spec: CaseDeadline, horizon: date, report: SweepReport) -> None:
    column = spec.column

    def query(after: tuple[date, int] | None) -> Any:
        stmt = select(Case).where(column.is_not(None), column <= horizon, col(Case.state).in_(spec.states))
        if spec.running_only:
            stmt = stmt.where(Case.clock_state == ClockState.RUNNING.value)
        if after is not None:
            stmt = stmt.where(or_(column > after[0], and_(column == after[0], col(Case.id) > after[1])))
        return stmt.order_by(column, col(Case.id)).with_for_update(skip_locked=True)

    def handle(case: Case) -> tuple[tuple[date, int], _Due | None]:
        due = getattr(case, spec.column.key)
        lapsing = spec.lapse and due < ctx.today  # a passed lapsable deadline is lapsed, not reminded
        return (due, case.id or 0), None if lapsing else _Due(case, spec.name, 0, due)

    report.scanned += _batches(
        ctx.settings, query, handle, lambda session, due: _escalate_batch(session, ctx, due, report)
    )


def _consultations(ctx: _Context, horizon: date, report: SweepReport) -> None:
    def query(after: tuple[date, int] | None) -> Any:
        stmt = (
            select(Consultation, Case)
            .join(Case, col(Case.id) == Consultation.case_id)
            .where(
                col(Consultation.closed_on).is_(None),
                col(Consultation.reply_due).is_not(None),
                col(Consultation.reply_due) <= horizon,
                Case.state == "consulting",
            )
        )
        if after is not None:
            stmt = stmt.where(
                or_(
                    col(Consultation.reply_due) > after[0],
                    and_(col(Consultation.reply_due) == after[0], col(Consultation.id) > after[1]),
                )
            )
        return stmt.order_by(col(Consultation.reply_due), col(Consultation.id)).with_for_update(skip_locked=True)

    def handle(row: Any) -> tuple[tuple[date, int], _Due | None]:
        consultation, case = row
        due = consultation.reply_due
        assert due is not None  # the query selects only consultations whose delivery is known
        lapsing = consultation.party != "internal_department" and due < ctx.today
        assist = "assist_due" if consultation.party == "internal_department" else ""
        item = None if lapsing else _Due(case, "consultation", consultation.number, due, assist)
        return (due, consultation.id or 0), item

    report.scanned += _batches(
        ctx.settings, query, handle, lambda session, due: _escalate_batch(session, ctx, due, report)
    )


def _due_lapses(settings: Settings, today: date) -> list[tuple[int, str, str, dict[str, object]]]:
    with reading(settings) as session:
        items: list[tuple[int, str, str, dict[str, object]]] = []
        for spec in CASE_DEADLINES:
            if spec.lapse is None:
                continue
            stmt = select(Case.id, Case.number).where(spec.column < today, col(Case.state).in_(spec.states))
            items += [(cid or 0, number, spec.lapse, {}) for cid, number in session.exec(stmt)]
        stmt2 = (
            select(Case.id, Case.number, Consultation.number)
            .join(Case, col(Case.id) == Consultation.case_id)
            .where(
                col(Consultation.closed_on).is_(None),
                col(Consultation.reply_due) < today,
                Consultation.party != "internal_department",
                Case.state == "consulting",
            )
        )
        items += [
            (cid or 0, number, "lapse_consultation", {"consultation": n}) for cid, number, n in session.exec(stmt2)
        ]
    return items


def _lapse(settings: Settings, report: SweepReport) -> None:
    due = _due_lapses(settings, local_date(settings.now()))
    waiting = provisional.held(settings, ((cid, action, p) for cid, _, action, p in due))
    for case_id, number, action, payload in due:
        if provisional.key(case_id, action, payload) in waiting:
            continue  # the handler was asked to confirm this provisional date and has not yet
        try:
            perform(case_id, action, "system", payload, settings=settings)
        except WorkflowError as exc:
            _refused(settings, report, (case_id, number, action, payload), exc)
            continue
        report.lapses.append((number, action))


def _refused(
    settings: Settings, report: SweepReport, item: tuple[int, str, str, dict[str, object]], exc: WorkflowError
) -> None:
    """A refused lapse is never dropped: it goes to the handler (once per due date and reason) and
    to the log. No escalation means the case no longer waits for it: another sweeper or a handler
    got there first, and the lapse happens once."""
    case_id, number, action, payload = item
    extra = {"case": number, "action": action, "rule": exc.rule}
    asked = provisional.hold(settings, case_id, action, payload, exc, DEADLINE_LABELS)
    if asked == "asked":
        (report.holds if exc.rule == PROVISIONAL_NO_AUTO_LAPSE else report.refused).append((number, action))
        log.warning("automatic lapse refused, handler asked: %s %s (%s)", number, action, exc.rule, extra=extra)
    elif asked == "asked_before":
        log.info("automatic lapse still refused: %s %s (%s)", number, action, exc.rule, extra=extra)
    else:
        log.info("automatic lapse no longer due: %s %s (%s)", number, action, exc.rule, extra=extra)


def sweep(settings: Settings) -> SweepReport:
    """One sweep as of the settings' clock: escalations first, then lapses."""
    started = time.perf_counter()
    now = settings.now()
    with reading(settings) as session:
        cal = load_calendar(session)
        office = load_office(session)
        directory = Directory.load(session)
    ctx = _Context(settings, now, local_date(now), cal, office, parse_ladder(office.escalation_ladder), directory)
    report = SweepReport(ctx.today)
    horizon = cal.add_workdays(ctx.today, horizon_days(ctx.ladder))
    for spec in CASE_DEADLINES:
        _case_deadline(ctx, spec, horizon, report)
    _consultations(ctx, horizon, report)
    _lapse(settings, report)
    report.registry = sweep_registry(settings)
    report.seconds = time.perf_counter() - started
    return report
