"""Working-day calendar for statutory deadlines (工作日计算).

* ``arrangement``: a year's holiday arrangement and the rules every arrangement obeys;
* ``importing``: reading an administrator's YAML/CSV import, with errors in Chinese;
* ``sources``: the shipped arrangements and the provisional ones computed for other years;
* ``index``: ``WorkCalendar``, the working-day arithmetic;
* ``explain``: why a day is or is not a working day.

* ``store``: the office's imported arrangements and closures, read from their tables.

May import: config, errors, timeutil and (``store`` only) `workflow.models`."""

from __future__ import annotations

from workflow.calendar.arrangement import MAX_YEAR, MIN_YEAR, CalendarError, YearArrangement
from workflow.calendar.explain import DayInfo, DayKind
from workflow.calendar.importing import load_arrangement_file, parse_arrangement
from workflow.calendar.index import WorkCalendar
from workflow.calendar.sources import builtin_arrangements, provisional_arrangement, substitute_days

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "CalendarError",
    "DayInfo",
    "DayKind",
    "WorkCalendar",
    "YearArrangement",
    "builtin_arrangements",
    "load_arrangement_file",
    "parse_arrangement",
    "provisional_arrangement",
    "substitute_days",
]
