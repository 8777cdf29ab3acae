"""Working-day calendar for statutory deadlines (工作日计算).

A working day is Monday–Friday, minus statutory public holidays, plus the
weekend make-up working days (调休上班) of the official State Council notice,
minus local closure days.

Where the arrangements come from, by year:

* 2004–2024: the ``chinese_calendar`` package.
* 2025 onwards: only the YAML files shipped in ``workflow/calendar_data/`` or
  an arrangement imported by an administrator.  ``chinese_calendar`` is
  deliberately not consulted for these years: a new upstream release must not
  silently change deadlines; a new year has to arrive through an import.
* Any other year is *provisional*: weekends plus the statutory holidays as
  computed by the ``holidays`` package plus the substitute days (补假) that
  Art. 6 of the holiday rules makes certain, without make-up working days, so
  that callers can flag deadlines that may move once the official notice is
  published.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from holidays import country_holidays

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

MIN_YEAR = 1990
MAX_YEAR = 2200

# chinese_calendar is trusted for these years only (see module docstring).
CHINESE_CALENDAR_FIRST_YEAR = 2004
CHINESE_CALENDAR_LAST_YEAR = 2024

# Years around "now" are what deadline computations almost always touch, so
# they are built eagerly; anything else extends the span on first use.
_WINDOW_YEARS_AHEAD = 3
# A year never has fewer working days than this; used to size extensions so a
# long period needs one rebuild, not one per year.
_MIN_WORKDAYS_PER_YEAR = 240

_NOTE_WORKDAY = "工作日"
_NOTE_WEEKEND = "周末"
_NOTE_HOLIDAY = "法定节假日"
_NOTE_SUBSTITUTE = "补假"
_NOTE_MAKEUP = "调休上班"
_NOTE_CLOSURE_DEFAULT = "临时停止办公"

# Fixed-date statutory holidays, used only when holidays.China has no data for
# a year (it stops at 2100) so that such years still get something sensible.
_FIXED_DATE_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CalendarError(ValueError):
    """Invalid calendar data or a query outside the supported range."""


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"
    CLOSURE = "closure"


@dataclass(frozen=True)
class YearArrangement:
    """Holiday arrangement of one calendar year."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # make-up working days on weekends
    official: bool
    source: str
    # Of `holidays`, the substitute days (补假) a provisional year derives from Art. 6 of the
    # holiday rules; an official arrangement lists its days without saying why.
    substitutes: frozenset[date] = frozenset()

    def validate(self) -> None:
        _check_year(self.year, "year")
        if not self.substitutes <= self.holidays:
            raise CalendarError("substitutes: every substitute day (补假) must also be a holiday")
        _check_dates(
            self.year,
            (("holidays", d) for d in sorted(self.holidays)),
            (("workdays", d) for d in sorted(self.workdays)),
        )


@dataclass(frozen=True)
class DayInfo:
    day: date
    kind: DayKind
    workday: bool
    provisional: bool
    note: str


# --------------------------------------------------------------------------
# Validation helpers


def _check_year(year: object, field: str) -> int:
    # bool is an int subclass; `year: true` in YAML is a typo, not year 1.
    if not isinstance(year, int) or isinstance(year, bool):
        raise CalendarError(f"{field}: expected an integer year, got {year!r}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"{field}: year {year} is outside the supported range {MIN_YEAR}..{MAX_YEAR}")
    return year


def _check_dates(
    year: int,
    holidays: Iterable[tuple[str, date]],
    workdays: Iterable[tuple[str, date]],
) -> None:
    """Shared by validate() and the parsers so that parse errors can name the exact entry."""
    seen_holidays: dict[date, str] = {}
    for field, d in holidays:
        if d.year != year:
            raise CalendarError(f"{field}: {d.isoformat()} is outside year {year}")
        seen_holidays[d] = field
    for field, d in workdays:
        if d.year != year:
            raise CalendarError(f"{field}: {d.isoformat()} is outside year {year}")
        if d.weekday() < 5:
            raise CalendarError(
                f"{field}: {d.isoformat()} is a {_WEEKDAY_NAMES[d.weekday()]}; "
                "a make-up working day must be a Saturday or Sunday"
            )
        if d in seen_holidays:
            raise CalendarError(
                f"{field}: {d.isoformat()} is also a holiday ({seen_holidays[d]}); "
                "a date cannot be both a holiday and a make-up working day"
            )


def _parse_date(value: object, field: str) -> date:
    # PyYAML turns an unquoted 2026-01-01 into a date; accept it as written.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    # fullmatch first: fromisoformat also takes forms such as 20260101 or 2026-W01-1.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(f"{field}: {value!r} is not a valid date (YYYY-MM-DD)")


def _parse_entry(value: object, field: str) -> Iterator[date]:
    """One YAML list entry: a single date or an inclusive range "A..B"."""
    if isinstance(value, str) and ".." in value:
        left, _, right = value.partition("..")
        first = _parse_date(left, field)
        last = _parse_date(right, field)
        if last < first:
            raise CalendarError(f"{field}: range {value!r} ends before it starts")
        if last.year != first.year:
            raise CalendarError(f"{field}: range {value!r} crosses a year boundary")
        for offset in range((last - first).days + 1):
            yield first + timedelta(days=offset)
    else:
        yield _parse_date(value, field)


# --------------------------------------------------------------------------
# Parsing imports

_YAML_KEYS = frozenset({"year", "source", "holidays", "workdays"})


def _yaml_date_list(doc: Mapping[str, Any], key: str) -> list[tuple[str, date]]:
    if key not in doc:
        raise CalendarError(f"{key}: required (a list of dates or 'YYYY-MM-DD..YYYY-MM-DD' ranges)")
    raw = doc[key]
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise CalendarError(f"{key}: expected a list of dates or 'YYYY-MM-DD..YYYY-MM-DD' ranges")
    out: list[tuple[str, date]] = []
    for index, value in enumerate(raw):
        field = f"{key}[{index}]"
        out.extend((field, d) for d in _parse_entry(value, field))
    return out


class _DatesAsText(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, so a bad one (2026-02-30) is reported by
    field like any other instead of crashing the YAML parser."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, default_source: str) -> YearArrangement:
    try:
        doc = yaml.load(text, Loader=_DatesAsText)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as exc:
        raise CalendarError(f"yaml: not valid YAML ({exc})") from exc
    if not isinstance(doc, dict):
        raise CalendarError("yaml: expected a mapping with keys year, source, holidays, workdays")
    unknown = sorted(str(k) for k in doc if k not in _YAML_KEYS)
    if unknown:
        raise CalendarError(f"{unknown[0]}: unknown key (allowed: year, source, holidays, workdays)")
    if "year" not in doc:
        raise CalendarError("year: required")
    year = _check_year(doc["year"], "year")
    source = doc.get("source", default_source)
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(f"source: expected a non-empty string, got {source!r}")
    holidays = _yaml_date_list(doc, "holidays")
    workdays = _yaml_date_list(doc, "workdays")
    return _build_official(year, holidays, workdays, source.strip())


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if header is None:
            header = [cell.lower() for cell in cells]
            if header not in (["date", "kind"], ["date", "kind", "name"]):
                raise CalendarError(f"header: expected 'date,kind' or 'date,kind,name', got {','.join(cells)!r}")
            continue
        yield reader.line_num, cells
    if header is None:
        raise CalendarError("header: missing (expected 'date,kind' or 'date,kind,name')")


def _parse_csv(text: str, default_source: str) -> YearArrangement:
    holidays: list[tuple[str, date]] = []
    workdays: list[tuple[str, date]] = []
    year: int | None = None
    for line, cells in _csv_rows(text):
        if len(cells) < 2 or len(cells) > 3:
            raise CalendarError(f"line {line}: expected 2 or 3 columns (date,kind[,name]), got {len(cells)}")
        d = _parse_date(cells[0], f"line {line}, date")
        if year is None:
            year = _check_year(d.year, f"line {line}, date")
        elif d.year != year:
            raise CalendarError(
                f"line {line}, date: {d.isoformat()} is outside year {year} (all rows must be in one year)"
            )
        kind = cells[1].lower()
        if kind == "holiday":
            holidays.append((f"line {line}", d))
        elif kind == "workday":
            workdays.append((f"line {line}", d))
        else:
            raise CalendarError(f"line {line}, kind: {cells[1]!r} must be 'holiday' or 'workday'")
    if year is None:
        raise CalendarError("rows: no data rows after the header")
    return _build_official(year, holidays, workdays, default_source)


def _build_official(
    year: int,
    holidays: list[tuple[str, date]],
    workdays: list[tuple[str, date]],
    source: str,
) -> YearArrangement:
    if not holidays:
        raise CalendarError("holidays: an official arrangement must list at least one holiday")
    _check_dates(year, holidays, workdays)
    arrangement = YearArrangement(
        year=year,
        holidays=frozenset(d for _, d in holidays),
        workdays=frozenset(d for _, d in workdays),
        official=True,
        source=source,
    )
    arrangement.validate()
    return arrangement


def parse_arrangement(text: str, fmt: str, *, source: str | None = None) -> YearArrangement:
    """Parse an admin import (or a shipped data file) into an official arrangement.

    ``source`` is used when the data does not carry its own (CSV never does).
    """
    kind = fmt.strip().lower()
    if kind in ("yaml", "yml"):
        return _parse_yaml(text, source or "imported (yaml)")
    if kind == "csv":
        return _parse_csv(text, source or "imported (csv)")
    raise CalendarError(f"fmt: {fmt!r} is not supported (use 'yaml' or 'csv')")


def load_arrangement_file(path: str | Path) -> YearArrangement:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        fmt = "yaml"
    elif suffix == ".csv":
        fmt = "csv"
    else:
        raise CalendarError(f"path: {p.name!r} has an unsupported suffix (use .yaml, .yml or .csv)")
    # utf-8-sig: spreadsheet exports on Windows start with a BOM.
    text = p.read_text(encoding="utf-8-sig")
    return parse_arrangement(text, fmt, source=f"imported from {p.name}")


# --------------------------------------------------------------------------
# Built-in and provisional arrangements


def _from_chinese_calendar() -> dict[int, YearArrangement]:
    from chinese_calendar import constants

    try:
        from importlib.metadata import version

        label = f"chinese_calendar {version('chinesecalendar')}"
    except Exception:  # pragma: no cover - metadata missing in odd installs
        label = "chinese_calendar"
    first, last = CHINESE_CALENDAR_FIRST_YEAR, CHINESE_CALENDAR_LAST_YEAR
    hol: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    work: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    for d in constants.holidays:
        if first <= d.year <= last:
            hol[d.year].add(d)
    for d in constants.workdays:
        if first <= d.year <= last:
            work[d.year].add(d)
    return {
        y: YearArrangement(y, frozenset(hol[y]), frozenset(work[y]), official=True, source=label)
        for y in range(first, last + 1)
        if hol[y]
    }


def _from_data_files() -> dict[int, YearArrangement]:
    out: dict[int, YearArrangement] = {}
    folder = resources.files("workflow").joinpath("calendar_data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        try:
            arrangement = parse_arrangement(entry.read_text(encoding="utf-8"), "yaml")
        except CalendarError as exc:
            raise CalendarError(f"calendar_data/{entry.name}: {exc}") from exc
        if entry.name.split(".")[0] != str(arrangement.year):
            raise CalendarError(f"calendar_data/{entry.name}: year: file declares year {arrangement.year}")
        out[arrangement.year] = arrangement
    return out


@cache
def _builtin() -> Mapping[int, YearArrangement]:
    merged = _from_chinese_calendar()
    # Shipped files win, so a correction to a pre-2025 year can be shipped too.
    merged.update(_from_data_files())
    for arrangement in merged.values():
        arrangement.validate()
    return merged


def builtin_arrangements() -> dict[int, YearArrangement]:
    """Official arrangements that ship with the package (a fresh copy; the data is cached)."""
    return dict(_builtin())


def _is_statutory_name(name: str) -> bool:
    # holidays joins coinciding holidays with "; "; keep the date if any part
    # is a real statutory holiday rather than an observed/substituted day.
    return any("observed" not in part and not part.startswith("Day off") for part in name.split("; "))


def provisional_arrangement(year: int) -> YearArrangement:
    """Weekends, the statutory holidays of ``year`` and their substitute days (补假), without
    make-up working days (official=False)."""
    return _provisional(_check_year(year, "year"))


def substitute_days(statutory: Mapping[date, int]) -> frozenset[date]:
    """The substitute days (补假) that 《全国年节及纪念日放假办法》 Art. 6 makes certain.

    ``statutory`` maps each statutory holiday date to the number of holidays on it (2 when 中秋
    and 国庆 coincide). Art. 6: "全体公民放假的假日，如果适逢周六、周日，应当在工作日补假。部分公民
    放假的假日，如果适逢周六、周日，则不补假。" The holidays for all citizens are those of Art. 2
    (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节): exactly the 13 statutory days here.
    Art. 3's holidays for some citizens (妇女节, 青年节, 儿童节, 建军节) are never in this set.

    How many substitute days is certain: one per holiday on a Saturday or Sunday, so two
    festivals on one Sunday give two. Two festivals on one weekday give nothing extra: Art. 6
    speaks only of weekends. Where the days fall is the convention of every arrangement that
    needed no 调休 (e.g. 元旦 2022 and 2023, 端午 2025): the first weekdays after the run of
    days off that holds the holiday. Official arrangements move days further by 调休; that cannot
    be foreseen, which is why the year stays provisional.
    """
    subs: set[date] = set()
    for day in sorted(statutory):
        if day.weekday() < 5:
            continue
        for _ in range(statutory[day]):
            # Walk to the end of this run of days off, then on to the first free weekday.
            cursor = day
            while cursor in statutory or cursor in subs or cursor.weekday() >= 5:
                cursor += timedelta(days=1)
            subs.add(cursor)
    return frozenset(subs)


def _statutory_count(name: str) -> int:
    # holidays joins coinciding holidays with "; "; each real (not observed) one counts.
    return sum(1 for part in name.split("; ") if "observed" not in part and not part.startswith("Day off"))


@cache
def _provisional(year: int) -> YearArrangement:
    computed = country_holidays("CN", years=year, language="en_US", observed=False)
    counts = {d: _statutory_count(name) for d, name in computed.items() if d.year == year and _is_statutory_name(name)}
    source = "provisional: weekends, statutory holidays per holidays.China and their 补假, no make-up days"
    if not counts:
        counts = {date(year, m, d): 1 for m, d in _FIXED_DATE_HOLIDAYS}
        source = "provisional: weekends, fixed-date statutory holidays and their 补假 (no lunar data for this year)"
    days = frozenset(counts)
    # A substitute for a late-December holiday could fall in January; none exists today, but a
    # day outside the year must not enter this year's arrangement.
    subs = frozenset(d for d in substitute_days(counts) if d.year == year)
    return YearArrangement(year, days | subs, frozenset(), official=False, source=source, substitutes=subs)


# --------------------------------------------------------------------------
# The calendar


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


class WorkCalendar:
    def __init__(
        self,
        overrides: Mapping[int, YearArrangement] | None = None,
        closures: Mapping[date, str] | None = None,
    ) -> None:
        self._overrides: dict[int, YearArrangement] = {}
        for year, arrangement in (overrides or {}).items():
            if year != arrangement.year:
                raise CalendarError(f"overrides[{year}]: arrangement is for year {arrangement.year}")
            arrangement.validate()
            self._overrides[year] = arrangement
        self._closures: dict[date, str] = {}
        for raw_day, reason in (closures or {}).items():
            day = _as_date(raw_day)
            _check_year(day.year, f"closures[{day.isoformat()}]")
            self._closures[day] = str(reason).strip() or _NOTE_CLOSURE_DEFAULT
        self._closure_ords = frozenset(d.toordinal() for d in self._closures)
        self._builtin = _builtin()
        self._lock = threading.Lock()
        this_year = min(max(date.today().year, MIN_YEAR), MAX_YEAR)
        first = min(CHINESE_CALENDAR_FIRST_YEAR, this_year)
        last = min(this_year + _WINDOW_YEARS_AHEAD, MAX_YEAR)
        self._span = self._build_span(first, last)

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
                raise CalendarError(f"date: year {year} is outside the supported range {MIN_YEAR}..{MAX_YEAR}")
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
                    f"result: falls after {MAX_YEAR}-12-31, beyond the supported range {MIN_YEAR}..{MAX_YEAR}"
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

    def day_info(self, d: date) -> DayInfo:
        d = _as_date(d)
        arrangement = self.arrangement(_check_year(d.year, "date"))
        provisional = not arrangement.official
        reason = self._closures.get(d)
        if reason is not None:
            return DayInfo(d, DayKind.CLOSURE, False, provisional, reason)
        if d in arrangement.holidays:
            note = _NOTE_SUBSTITUTE if d in arrangement.substitutes else _NOTE_HOLIDAY
            return DayInfo(d, DayKind.HOLIDAY, False, provisional, note)
        if d in arrangement.workdays:
            return DayInfo(d, DayKind.MAKEUP_WORKDAY, True, provisional, _NOTE_MAKEUP)
        if d.weekday() >= 5:
            return DayInfo(d, DayKind.WEEKEND, False, provisional, _NOTE_WEEKEND)
        return DayInfo(d, DayKind.WORKDAY, True, provisional, _NOTE_WORKDAY)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; ``start`` itself never counts (期限自次日起算)."""
        if n < 1:
            if n == 0:
                return start
            raise CalendarError(f"n: must be >= 0, got {n}")
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
            span = self._cover(_check_year(a.year, "a"), _check_year(b.year, "b"))
        ords = span.ords
        return bisect_right(ords, bo) - bisect_right(ords, ao)

    def next_workday_on_or_after(self, d: date) -> date:
        span, i = self._nth_index(d.toordinal(), 1, right=False)
        return date.fromordinal(span.ords[i])


def _as_date(value: date) -> date:
    # A datetime never compares equal to a date, so set lookups would miss it.
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise CalendarError(f"date: expected a date, got {value!r}")
    return value
