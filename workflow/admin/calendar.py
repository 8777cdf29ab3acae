"""Admin changes to the calendar: importing a year's official arrangement and adding local
closure days. Each change is audited and every open case is recomputed in the same transaction,
with an impact report of the cases whose deadlines moved."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from states import DEFAULT_RULEBOOK, TERMINAL_STATES, Role, RuleBook
from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.calendar import WorkCalendar, YearArrangement
from workflow.calendar.store import build_calendar, bump_revision
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Forbidden, InvalidInput
from workflow.ledger.checkpoints import CheckpointError, write_checkpoint
from workflow.ledger.projection import recompute
from workflow.models import CalendarClosure, CalendarYear, Case

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Moved:
    case_id: int
    number: str
    deadline: str
    old: str | None
    new: str | None

    @property
    def days(self) -> int | None:
        """Calendar days the deadline moved (positive: later)."""
        if self.old is None or self.new is None:
            return None
        return (date.fromisoformat(self.new) - date.fromisoformat(self.old)).days


@dataclass
class Impact:
    change: str
    open_cases: int = 0
    moved: list[Moved] = field(default_factory=list)
    applied: bool = True
    # Cases whose dates did not move but stopped (or started) being provisional: still a change
    # to the case, so it is recorded too.
    confirmed: list[str] = field(default_factory=list)
    became_provisional: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "applied": self.applied,
            "open_cases": self.open_cases,
            "confirmed": self.confirmed,
            "became_provisional": self.became_provisional,
            "moved": [
                {
                    "case_id": m.case_id,
                    "number": m.number,
                    "deadline": m.deadline,
                    "from": m.old,
                    "to": m.new,
                    "days": m.days,
                }
                for m in self.moved
            ],
        }


def _require_admin(session: Session, actor: str) -> None:
    if Role.ADMIN.value not in get_user(session, actor).role_set():
        raise Forbidden(f"用户“{actor}”无权修改工作日历，须由管理员办理", "role.forbidden", "actor")


def _lock_open_cases(session: Session) -> list[Case]:
    """Lock every open case first, in id order, as perform does (case, then ledger): taking the
    ledger lock before the cases could deadlock against a handler's action."""
    terminal = [s.value for s in TERMINAL_STATES]
    stmt = select(Case).where(col(Case.state).not_in(terminal)).order_by(col(Case.id)).with_for_update()
    return list(session.exec(stmt))


def _recompute_open(
    session: Session, cases: list[Case], settings: Settings, actor: str, change: str, rb: RuleBook
) -> Impact:
    now = settings.now()
    cal: WorkCalendar = build_calendar(session, today=now.date())
    impact = Impact(change)
    for case in cases:
        impact.open_cases += 1
        was_provisional = bool(case.provisional)
        _, changed = recompute(session, case, cal, rb)
        flipped = bool(case.provisional) != was_provisional
        if flipped:
            (impact.became_provisional if case.provisional else impact.confirmed).append(case.number)
        if not changed and not flipped:
            continue
        case.updated_at = now
        for name, (old, new) in changed.items():
            impact.moved.append(Moved(case.id or 0, case.number, name, old, new))
        audited_write(
            session,
            actor=actor,
            action="recompute_clock",
            now=now,
            roles=(Role.ADMIN.value,),
            what="修改工作日历",
            changed=case,
            case_id=case.id,
            state=case.state,
            payload={
                "reason": change,
                "due_dates": {k: {"from": o, "to": n} for k, (o, n) in changed.items()},
                "provisional": {"from": was_provisional, "to": bool(case.provisional)},
            },
        )
    return impact


def _change_calendar(
    settings: Settings,
    *,
    actor: str,
    action: str,
    change: str,
    payload: dict[str, Any],
    store: Callable[[Session], None],
    dry_run: bool,
    rulebook: RuleBook,
) -> Impact:
    """One audited calendar change: lock the open cases, store the change, record it, recompute
    every open case; a dry run reports the same impact and rolls everything back."""
    with transaction(settings) as session:
        _require_admin(session, actor)
        cases = _lock_open_cases(session)
        store(session)
        bump_revision(session)
        session.flush()
        audited_write(
            session,
            actor=actor,
            action=action,
            now=settings.now(),
            payload=payload,
            roles=(Role.ADMIN.value,),
            what="修改工作日历",
        )
        impact = _recompute_open(session, cases, settings, actor, change, rulebook)
        if dry_run:
            impact.applied = False
            session.rollback()
        return impact


def import_arrangement(
    settings: Settings,
    arrangement: YearArrangement,
    *,
    actor: str,
    dry_run: bool = False,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> Impact:
    """Store an official year (replacing any earlier import) and recompute every open case.

    Raises:
        Forbidden: the actor is not an admin.
    """
    arrangement.validate()

    def store(session: Session) -> None:
        row = session.get(CalendarYear, arrangement.year) or CalendarYear(
            year=arrangement.year,
            source="",
            holidays="[]",
            workdays="[]",
            imported_by=actor,
            imported_at=settings.now(),
        )
        row.source = arrangement.source
        row.holidays = json.dumps(sorted(d.isoformat() for d in arrangement.holidays))
        row.workdays = json.dumps(sorted(d.isoformat() for d in arrangement.workdays))
        row.imported_by, row.imported_at = actor, settings.now()
        session.add(row)

    payload = {
        "year": arrangement.year,
        "source": arrangement.source,
        "holidays": sorted(arrangement.holidays),
        "workdays": sorted(arrangement.workdays),
    }
    impact = _change_calendar(
        settings,
        actor=actor,
        action="calendar_import",
        payload=payload,
        store=store,
        change=f"导入{arrangement.year}年放假安排：{arrangement.source}",
        dry_run=dry_run,
        rulebook=rulebook,
    )
    if impact.applied:
        _checkpoint_after_import(settings)
    return impact


def _checkpoint_after_import(settings: Settings) -> None:
    """An import moves many due dates at once: sign the ledger's head right after it."""
    try:
        write_checkpoint(settings)
    except (CheckpointError, OSError) as exc:  # the import stands; the daily checkpoint follows
        log.warning("calendar import: no checkpoint written: %s", exc)


def add_closure(
    settings: Settings,
    day: date,
    reason: str,
    *,
    actor: str,
    dry_run: bool = False,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> Impact:
    """Mark a local closure day (not a working day) and recompute every open case.

    Raises:
        InvalidInput: no reason given or the day is already closed. Forbidden: not an admin.
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason：须说明闭馆原因", "calendar.closure_reason", "reason")

    def store(session: Session) -> None:
        if session.get(CalendarClosure, day) is not None:
            raise InvalidInput(f"date：{day} 已登记为闭馆日", "calendar.closure_exists", "date")
        session.add(CalendarClosure(day=day, reason=reason, added_by=actor, added_at=settings.now()))

    return _change_calendar(
        settings,
        actor=actor,
        action="calendar_closure",
        payload={"day": day, "reason": reason},
        store=store,
        change=f"新增本机关闭馆日{day.isoformat()}：{reason}",
        dry_run=dry_run,
        rulebook=rulebook,
    )
