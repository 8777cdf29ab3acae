"""The working-day index: every working day of a span of years as a sorted list of ordinals, so
that "the n-th working day after" and "working days between" are one bisection each.

A working day is Monday–Friday, minus statutory public holidays, plus the weekend make-up working
days (调休上班) of the official State Council notice, minus local closure days."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache

from workflow.calendar.arrangement import MAX_YEAR, MIN_YEAR, CalendarError, YearArrangement, check_year
from workflow.calendar.explain import NOTE_CLOSURE_DEFAULT, DayInfo, describe_day
from workflow.calendar.sources import CHINESE_CALENDAR_FIRST_YEAR, builtin, provisional_arrangement

# The years just after "today" (or after the last shipped year) are what deadline computations
# almost always touch, so they are built eagerly; anything else extends the span on first use.
_WINDOW_YEARS_AHEAD = 3
# A year never has fewer working days than this; used to size extensions so a
# long period needs one rebuild, not one per year.
_MIN_WORKDAYS_PER_YEAR = 240


def _out_of_range(field: str, year: int) -> CalendarError:
    return CalendarError(field, f"{year}年超出支持的范围（{MIN_YEAR}–{MAX_YEAR}年）")


@lru_cache(maxsize=512)
def _year_workday_ordinals(arrangement: YearArrangement) -> tuple[int, ...]:
    first = date(arrangement.year, 1, 1).toordinal()
    last = date(arrangement.year, 12, 31).toordinal()
    off = {d.toordinal() for d in arrangement.holidays}
    on = {d.toordinal() for d in arrangement.workdays}
    # Ordinal 1 (0001-01-01) is a Monday, so (o - 1) % 7 is date.weekday().
    return tuple(o for o in range(first, last + 1) if o in on or ((o - 1) % 7 < 5 and o not in off))


class _Span:
    """Immutable snapshot of the precomputed years; replaced as a whole so readers never mix two spans."""

    __slots__ = ("first_year", "last_year", "lo_ord", "hi_ord", "ords", "prov_prefix")

    def __init__(self, first_year: int, last_year: int, ords: list[int], prov_prefix: list[int]) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.lo_ord = date(first_year, 1, 1).toordinal()
        self.hi_ord = date(last_year, 12, 31).toordinal()
        self.ords = ords
        # prov_prefix[k] = number of provisional years among first_year .. first_year + k - 1
        self.prov_prefix = prov_prefix


def as_date(value: date) -> date:
    # A datetime never compares equal to a date, so set lookups would miss it.
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise CalendarError("date", f"应为日期，实为 {value!r}")
    return value


class WorkCalendar:
    """Working-day arithmetic over the built-in arrangements, imported ``overrides`` and the
    office's ``closures``. ``today`` only chooses which years are indexed up front (the index
    grows on demand); the calendar never reads the clock."""

    def __init__(
        self,
        overrides: Mapping[int, YearArrangement] | None = None,
        closures: Mapping[date, str] | None = None,
        *,
        today: date | None = None,
    ) -> None:
        self._overrides: dict[int, YearArrangement] = {}
        for year, arrangement in (overrides or {}).items():
            if year != arrangement.year:
                raise CalendarError(f"overrides[{year}]", f"所给放假安排属于{arrangement.year}年")
            arrangement.validate()
            self._overrides[year] = arrangement
        self._closures: dict[date, str] = {}
        for raw_day, reason in (closures or {}).items():
            day = as_date(raw_day)
            check_year(day.year, f"closures[{day.isoformat()}]")
            self._closures[day] = str(reason).strip() or NOTE_CLOSURE_DEFAULT
        self._closure_ords = frozenset(d.toordinal() for d in self._closures)
        self._builtin = builtin()
        self._lock = threading.Lock()
        anchor = today.year if today is not None else max(self._builtin, default=CHINESE_CALENDAR_FIRST_YEAR)
        anchor = min(max(anchor, MIN_YEAR), MAX_YEAR)
        first = min(CHINESE_CALENDAR_FIRST_YEAR, anchor)
        self._span = self._build_span(first, min(anchor + _WINDOW_YEARS_AHEAD, MAX_YEAR))

    # -- year data ---------------------------------------------------------

    def arrangement(self, year: int) -> YearArrangement:
        """The arrangement in force for ``year``: override, then built-in, then provisional."""
        found = self._overrides.get(year) or self._builtin.get(year)
        return found if found is not None else provisional_arrangement(year)

    def is_provisional_year(self, year: int) -> bool:
        return not self.arrangement(year).official

    def provisional_years_between(self, a: date, b: date) -> list[int]:
        first, last = sorted((a.year, b.year))
        return [y for y in range(first, last + 1) if self.is_provisional_year(y)]

    def day_info(self, d: date) -> DayInfo:
        d = as_date(d)
        return describe_day(d, self.arrangement(check_year(d.year, "date")), self._closures)

    # -- span management -----------------------------------------------------

    def _build_span(self, first_year: int, last_year: int) -> _Span:
        ords: list[int] = []
        prov_prefix = [0]
        for year in range(first_year, last_year + 1):
            arrangement = self.arrangement(year)
            ords.extend(_year_workday_ordinals(arrangement))
            prov_prefix.append(prov_prefix[-1] + (0 if arrangement.official else 1))
        if self._closure_ords:
            ords = [o for o in ords if o not in self._closure_ords]
        return _Span(first_year, last_year, ords, prov_prefix)

    def _cover(self, first_year: int, last_year: int) -> _Span:
        """Return a span that includes the given years, rebuilding if needed."""
        for year in (first_year, last_year):
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise _out_of_range("date", year)
        with self._lock:
            span = self._span
            if span.first_year <= first_year and last_year <= span.last_year:
                return span
            span = self._build_span(min(span.first_year, first_year), max(span.last_year, last_year))
            self._span = span
            return span

    def _span_for(self, o: int) -> _Span:
        span = self._span
        if span.lo_ord <= o <= span.hi_ord:
            return span
        year = date.fromordinal(o).year
        return self._cover(year, year)

    def _nth_index(self, o: int, n: int, right: bool) -> tuple[_Span, int]:
        """Index of the n-th working day counted from ordinal o, growing the span forward as needed."""
        span = self._span_for(o)
        while True:
            base = bisect_right(span.ords, o) if right else bisect_left(span.ords, o)
            index = base + n - 1
            missing = index - len(span.ords) + 1
            if missing <= 0:
                return span, index
            if span.last_year >= MAX_YEAR:
                raise CalendarError(
                    "result", f"结果晚于{MAX_YEAR}年12月31日，超出支持的范围（{MIN_YEAR}–{MAX_YEAR}年）"
                )
            extra = missing // _MIN_WORKDAYS_PER_YEAR + 1
            span = self._cover(span.first_year, min(span.last_year + extra, MAX_YEAR))

    # -- queries -------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        o = d.toordinal()
        span = self._span
        if not span.lo_ord <= o <= span.hi_ord:
            span = self._span_for(o)
        ords = span.ords
        i = bisect_left(ords, o)
        return i < len(ords) and ords[i] == o

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; ``start`` itself never counts (期限自次日起算)."""
        if n < 1:
            if n == 0:
                return start
            raise CalendarError("n", f"工作日数不能为负数，实为 {n}")
        o = start.toordinal()
        span = self._span
        if span.lo_ord <= o <= span.hi_ord:
            ords = span.ords
            i = bisect_right(ords, o) + n - 1
            if i < len(ords):
                return date.fromordinal(ords[i])
        span, i = self._nth_index(o, n, right=True)
        return date.fromordinal(span.ords[i])

    def add_workdays_flagged(self, start: date, n: int) -> tuple[date, bool]:
        """Like add_workdays, plus whether any year from start to the result is provisional."""
        result = self.add_workdays(start, n)
        span = self._span
        first, last = start.year, result.year
        if not (span.first_year <= first and last <= span.last_year):
            span = self._cover(first, last)
        prefix = span.prov_prefix
        base = span.first_year
        return result, prefix[last - base + 1] > prefix[first - base]

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days d with a < d <= b (0 when b <= a)."""
        ao = a.toordinal()
        bo = b.toordinal()
        if bo <= ao:
            return 0
        span = self._span
        if not (span.lo_ord <= ao and bo <= span.hi_ord):
            span = self._cover(check_year(a.year, "a"), check_year(b.year, "b"))
        ords = span.ords
        return bisect_right(ords, bo) - bisect_right(ords, ao)

    def next_workday_on_or_after(self, d: date) -> date:
        span, i = self._nth_index(d.toordinal(), 1, right=False)
        return date.fromordinal(span.ords[i])
