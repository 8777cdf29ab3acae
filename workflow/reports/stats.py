"""The office's statistics for a year, per department and per handler, from the ledger.

Definitions (each derived from the case's events up to the cut-off):
- intake: applications that count as new in the year (as in Table 3), by month of that date;
- answered: answers approved in the year (withdrawals and lapses are not answers);
- on time: the approval's Beijing date is on or before the answer due date in force when it was
  approved: the due date recomputed by the statutory clock (workflow/clock/deadlines.py) from the case's
  events before the approval, with the office's current calendar, the computation the engine itself
  used; an approval recorded on the due date is on time;
- working days to answer: working days after the date of receipt up to the approval date
  (WorkCalendar.workdays_between), whatever pauses or corrections came between; the median;
- overdue: answers approved after their due date, and applications open at the cut-off whose answer
  due date has passed (a case awaiting correction has no running due date and is not overdue);
- extensions: `extend` events in the year;
- fee income: the amount of each fee notice that a `record_payment` later settled, in the year of
  the payment;
- a case's handler as of the cut-off: the latest `assign`, else whoever started the review; its
  department: the department named by the latest `assign`, else the handler's own department (the
  user record); none → 未分配.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import Any

from sqlmodel import Session, select

from states import DEFAULT_RULEBOOK
from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.clock.deadlines import compute, facts_from_events
from workflow.config import Settings
from workflow.db import reading
from workflow.models import User
from workflow.reports.facts import LedgerEvent, case_facts, cutoff_for
from workflow.reports.ledger import case_numbers, check_year, read_events
from workflow.timeutil import local_date, utc_stamp

UNASSIGNED = "未分配"
OVERALL = "合计"


@dataclass(frozen=True, slots=True)
class StatsFacts:
    case_id: int
    number: str
    department: str | None = None
    handler: str | None = None
    booked_on: date | None = None
    answered_on: date | None = None
    due_at_answer: date | None = None
    answer_workdays: int | None = None
    handled_on: date | None = None
    open_due: date | None = None  # the answer due date at the cut-off of a case not yet handled
    extensions: tuple[date, ...] = ()
    fees_paid: tuple[tuple[date, int], ...] = ()
    # The approver confirmed the answer was late (Art. 33; the approve event's answer_due_passed):
    # late whatever a later calendar import does to the recomputed due date.
    confirmed_late: bool = False

    def on_time(self) -> bool:
        """Answered by its due date, and not approved as late."""
        return (
            self.answered_on is not None
            and self.due_at_answer is not None
            and self.answered_on <= self.due_at_answer
            and not self.confirmed_late
        )


@dataclass
class GroupStats:
    name: str
    intake: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    extensions: int = 0
    fee_income: int = 0  # yuan
    workdays: list[int] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def median_workdays(self) -> float | None:
        return float(median(self.workdays)) if self.workdays else None

    @property
    def overdue(self) -> int:
        return self.late + self.overdue_open

    def as_dict(self) -> dict[str, Any]:
        rate = self.on_time_rate
        return {
            "name": self.name,
            "intake": self.intake,
            "answered": self.answered,
            "on_time": self.on_time,
            "on_time_rate": None if rate is None else round(rate, 4),
            "median_workdays": self.median_workdays,
            "answered_late": self.late,
            "open_overdue": self.overdue_open,
            "overdue": self.overdue,
            "extensions": self.extensions,
            "fee_income": self.fee_income,
        }


@dataclass
class MonthStats:
    month: int
    intake: int = 0
    answered: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    def as_dict(self) -> dict[str, Any]:
        rate = self.on_time_rate
        return {
            "month": self.month,
            "intake": self.intake,
            "answered": self.answered,
            "on_time": self.on_time,
            "on_time_rate": None if rate is None else round(rate, 4),
        }


@dataclass
class StatsReport:
    year: int
    cutoff: datetime
    overall: GroupStats
    departments: list[GroupStats]
    handlers: list[GroupStats]
    months: list[MonthStats]

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "cutoff": utc_stamp(self.cutoff),
            "overall": self.overall.as_dict(),
            "departments": [g.as_dict() for g in self.departments],
            "handlers": [g.as_dict() for g in self.handlers],
            "months": [m.as_dict() for m in self.months],
        }


def _add(g: GroupStats, f: StatsFacts, year: int, cutoff_day: date) -> None:
    if f.booked_on is not None and f.booked_on.year == year:
        g.intake += 1
    if f.answered_on is not None and f.answered_on.year == year:
        g.answered += 1
        if f.on_time():
            g.on_time += 1
        else:
            g.late += 1
        if f.answer_workdays is not None:
            g.workdays.append(f.answer_workdays)
    if f.booked_on is not None and f.handled_on is None and f.open_due is not None and f.open_due < cutoff_day:
        g.overdue_open += 1
    g.extensions += sum(1 for d in f.extensions if d.year == year)
    g.fee_income += sum(amount for d, amount in f.fees_paid if d.year == year)


def _groups(facts: Sequence[StatsFacts], key: str, year: int, cutoff_day: date) -> list[GroupStats]:
    groups: dict[str, GroupStats] = {}
    for f in facts:
        name = getattr(f, key) or UNASSIGNED
        _add(groups.setdefault(name, GroupStats(name)), f, year, cutoff_day)
    active = [g for g in groups.values() if g.intake or g.answered or g.overdue_open or g.extensions or g.fee_income]
    return sorted(active, key=lambda g: (g.name == UNASSIGNED, g.name))


def compute_stats(year: int, cutoff: datetime, facts: Iterable[StatsFacts]) -> StatsReport:
    """The statistics of `year` from facts already limited to the cut-off. Pure."""
    items = list(facts)
    cutoff_day = local_date(cutoff)
    overall = GroupStats(OVERALL)
    months = [MonthStats(m) for m in range(1, 13)]
    for f in items:
        _add(overall, f, year, cutoff_day)
        if f.booked_on is not None and f.booked_on.year == year:
            months[f.booked_on.month - 1].intake += 1
        if f.answered_on is not None and f.answered_on.year == year:
            m = months[f.answered_on.month - 1]
            m.answered += 1
            m.on_time += int(f.on_time())
    return StatsReport(
        year,
        cutoff,
        overall,
        _groups(items, "department", year, cutoff_day),
        _groups(items, "handler", year, cutoff_day),
        months,
    )


def _clock(events: Sequence[LedgerEvent]) -> list[tuple[str, Any, date]]:
    return [(e.action, e.payload, e.day) for e in events]


def stats_facts(
    case_id: int,
    number: str,
    events: Sequence[LedgerEvent],
    cal: WorkCalendar,
    user_departments: Mapping[str, str | None] | None = None,
) -> StatsFacts:
    """One case's statistics facts from its events (oldest first, up to the cut-off)."""
    cf = case_facts(case_id, number, events)
    handler: str | None = None
    department: str | None = None
    extensions: list[date] = []
    fees: list[tuple[date, int]] = []
    notice: int | None = None
    answered = due = workdays = open_due = None
    late = False
    for i, ev in enumerate(events):
        if ev.action == "start_review" and handler is None:
            handler = ev.actor
        elif ev.action == "assign":
            handler = str(ev.payload.get("handler") or "") or handler
            department = str(ev.payload.get("department") or "") or department
        elif ev.action == "extend":
            extensions.append(ev.day)
        elif ev.action == "issue_fee_notice":
            notice = int(ev.payload.get("amount") or 0)
        elif ev.action == "record_payment" and notice is not None:
            fees.append((ev.day, notice))
            notice = None
        elif ev.action == "approve" and answered is None and cf.booked_on is not None:
            answered = ev.day
            late = ev.payload.get("answer_due_passed") is not None
            due = compute(facts_from_events(_clock(events[:i])), cal, DEFAULT_RULEBOOK).answer_due
            workdays = cal.workdays_between(cf.received_on or cf.booked_on, answered)
    if department is None and handler is not None:
        department = (user_departments or {}).get(handler)
    if cf.booked_on is not None and cf.handled_on is None:
        open_due = compute(facts_from_events(_clock(events)), cal, DEFAULT_RULEBOOK).answer_due
    return StatsFacts(
        case_id,
        number,
        department,
        handler,
        cf.booked_on,
        answered,
        due,
        workdays,
        cf.handled_on,
        open_due,
        tuple(extensions),
        tuple(fees),
        confirmed_late=late,
    )


def build_stats(session: Session, year: int, cutoff: datetime) -> StatsReport:
    cal = load_calendar(session)
    numbers = case_numbers(session)
    departments: dict[str, str | None] = dict(session.exec(select(User.name, User.department)).all())
    events = read_events(session, cutoff)
    facts = [stats_facts(cid, numbers.get(cid, str(cid)), evs, cal, departments) for cid, evs in events.items()]
    return compute_stats(year, cutoff, facts)


def office_stats(settings: Settings, year: int | None = None, as_of: datetime | None = None) -> StatsReport:
    """The statistics of `year` (default: the current year) as of `as_of` (default: now).

    Raises:
        InvalidInput: a year that cannot be reported.
    """
    moment = as_of or settings.now()
    y = year or local_date(moment).year
    check_year(y, moment)
    with reading(settings) as session:
        return build_stats(session, y, cutoff_for(y, moment))
