"""Why a day is or is not a working day, in the words a deadline explanation shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workflow.calendar.arrangement import YearArrangement

NOTE_WORKDAY = "工作日"
NOTE_WEEKEND = "周末"
NOTE_HOLIDAY = "法定节假日"
NOTE_SUBSTITUTE = "补假"
NOTE_MAKEUP = "调休上班"
NOTE_CLOSURE_DEFAULT = "临时停止办公"


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"
    CLOSURE = "closure"


@dataclass(frozen=True)
class DayInfo:
    day: date
    kind: DayKind
    workday: bool
    provisional: bool
    note: str


def describe_day(d: date, arrangement: YearArrangement, closures: Mapping[date, str]) -> DayInfo:
    """The kind of ``d`` under its year's arrangement and the office's closure days (closures
    first: a closure on a make-up working day still closes the office)."""
    provisional = not arrangement.official
    reason = closures.get(d)
    if reason is not None:
        return DayInfo(d, DayKind.CLOSURE, False, provisional, reason)
    if d in arrangement.holidays:
        note = NOTE_SUBSTITUTE if d in arrangement.substitutes else NOTE_HOLIDAY
        return DayInfo(d, DayKind.HOLIDAY, False, provisional, note)
    if d in arrangement.workdays:
        return DayInfo(d, DayKind.MAKEUP_WORKDAY, True, provisional, NOTE_MAKEUP)
    if d.weekday() >= 5:
        return DayInfo(d, DayKind.WEEKEND, False, provisional, NOTE_WEEKEND)
    return DayInfo(d, DayKind.WORKDAY, True, provisional, NOTE_WORKDAY)
