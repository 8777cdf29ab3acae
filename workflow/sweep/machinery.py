"""What every sweep does the same way, whatever it sweeps (cases, registry items): one context
read once per sweep (the clock, the calendar, the office, its ladder, who holds which role), the
rung a due date stands on today, and insert-or-ignore of an effect's unique row, so a repeated,
concurrent or redelivered sweep never does an effect twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.clock.ladder import Rung, parse_ladder, rung_for, working_days_left
from workflow.config import Settings
from workflow.db import reading
from workflow.notify.inboxes import Directory
from workflow.office.settings import Office, load_office
from workflow.timeutil import local_date


@dataclass(frozen=True)
class SweepContext:
    settings: Settings
    now: datetime
    today: date
    cal: WorkCalendar
    office: Office
    ladder: tuple[Rung, ...]
    directory: Directory


def load_context(settings: Settings) -> SweepContext:
    """The sweep's context as of the settings' clock, read in one short reading transaction."""
    now = settings.now()
    with reading(settings) as session:
        cal = load_calendar(session)
        office = load_office(session)
        directory = Directory.load(session)
    return SweepContext(settings, now, local_date(now), cal, office, parse_ladder(office.escalation_ladder), directory)


def on_rung(ctx: SweepContext, due: date, ladder: tuple[Rung, ...]) -> tuple[Rung, int, date] | None:
    """The rung a due date stands on today, its working days left and the effect's day (today for
    a daily reminder, else the due date); None when it stands on none, or a daily reminder falls
    on a day off."""
    left = working_days_left(ctx.cal, ctx.today, due)
    rung = rung_for(left, ladder)
    if rung is None or (rung.repeat_daily and not ctx.cal.is_workday(ctx.today)):
        return None
    return rung, left, ctx.today if rung.repeat_daily else due


def insert_or_ignore(session: Session) -> Callable[[Any], Any]:
    """The dialect's INSERT … ON CONFLICT DO NOTHING builder (an effect already done inserts nothing)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def remaining_text(left: int) -> str:
    return f"已逾期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"
