"""The office's calendar: built-in arrangements, imported years and closure days from the
database, cached per process until an admin changes them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from workflow.calendar import WorkCalendar, YearArrangement
from workflow.models import CalendarClosure, CalendarYear, Counter

REVISION_SCOPE = "calendar_revision"
_cache: dict[tuple[int, int], WorkCalendar] = {}


_COUNTER: Any = Counter.__table__  # type: ignore[attr-defined]
# A plain Core read: every action checks the revision, and an ORM get showed in perform's profile.
_REVISION = sa_select(_COUNTER.c.value).where(_COUNTER.c.scope == REVISION_SCOPE, _COUNTER.c.year == 0)


def revision(session: Session) -> int:
    session.flush()  # a revision bumped earlier in this transaction must be seen
    value = session.connection().execute(_REVISION).scalar()
    return int(value) if value is not None else 0


def bump_revision(session: Session) -> int:
    row = session.get(Counter, (REVISION_SCOPE, 0)) or Counter(scope=REVISION_SCOPE, year=0, value=0)
    row.value += 1
    session.add(row)
    return row.value


def _arrangement(row: CalendarYear) -> YearArrangement:
    return YearArrangement(
        year=row.year,
        holidays=frozenset(date.fromisoformat(d) for d in json.loads(row.holidays)),
        workdays=frozenset(date.fromisoformat(d) for d in json.loads(row.workdays)),
        official=True,
        source=row.source,
    )


def build_calendar(session: Session, today: date | None = None) -> WorkCalendar:
    """A fresh calendar from the database rows (no cache): used inside calendar changes."""
    overrides = {row.year: _arrangement(row) for row in session.exec(select(CalendarYear))}
    closures = {row.day: row.reason for row in session.exec(select(CalendarClosure))}
    return WorkCalendar(overrides=overrides, closures=closures, today=today)


def load_calendar(session: Session) -> WorkCalendar:
    """The current calendar; rebuilt only when the revision counter moved."""
    # One engine per database and schema (workflow/db.py), so the engine identifies the calendar.
    key = (id(session.get_bind().engine), revision(session))
    cal = _cache.get(key)
    if cal is None:
        cal = build_calendar(session)
        _cache.clear()
        _cache[key] = cal
    return cal
