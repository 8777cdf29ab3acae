"""Where a year's arrangement comes from when no administrator imported one.

* 2004–2024: the ``chinese_calendar`` package.
* 2025 onwards: only the YAML files shipped in ``workflow/calendar_data/``. ``chinese_calendar`` is
  deliberately not consulted for these years: a new upstream release must not silently change
  deadlines; a new year has to arrive through an import.
* Any other year is *provisional*: weekends plus the statutory holidays as computed by the
  ``holidays`` package plus the substitute days (补假) that Art. 6 of the holiday rules makes
  certain, without make-up working days, so that callers can flag deadlines that may move once
  the official notice is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from importlib import resources

from holidays import country_holidays

from workflow.calendar.arrangement import CalendarError, YearArrangement, check_year
from workflow.calendar.importing import parse_arrangement

# chinese_calendar is trusted for these years only (see module docstring).
CHINESE_CALENDAR_FIRST_YEAR = 2004
CHINESE_CALENDAR_LAST_YEAR = 2024

# Fixed-date statutory holidays, used only when holidays.China has no data for
# a year (it stops at 2100) so that such years still get something sensible.
_FIXED_DATE_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


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
        where = f"calendar_data/{entry.name}"
        try:
            arrangement = parse_arrangement(entry.read_text(encoding="utf-8"), "yaml")
        except CalendarError as exc:
            raise CalendarError(where, str(exc)) from exc
        if entry.name.split(".")[0] != str(arrangement.year):
            raise CalendarError(where, f"文件名与所载年份 {arrangement.year} 不符")
        out[arrangement.year] = arrangement
    return out


@cache
def builtin() -> Mapping[int, YearArrangement]:
    """The shipped official arrangements (cached: the data never changes in a process)."""
    merged = _from_chinese_calendar()
    # Shipped files win, so a correction to a pre-2025 year can be shipped too.
    merged.update(_from_data_files())
    for arrangement in merged.values():
        arrangement.validate()
    return merged


def builtin_arrangements() -> dict[int, YearArrangement]:
    """Official arrangements that ship with the package (a fresh copy; the data is cached)."""
    return dict(builtin())


def provisional_arrangement(year: int) -> YearArrangement:
    """Weekends, the statutory holidays of ``year`` and their substitute days (补假), without
    make-up working days (official=False)."""
    return _provisional(check_year(year, "year"))


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
    # holidays joins coinciding holidays with "; "; each real (not observed/substituted) one counts.
    return sum(1 for part in name.split("; ") if "observed" not in part and not part.startswith("Day off"))


@cache
def _provisional(year: int) -> YearArrangement:
    computed = country_holidays("CN", years=year, language="en_US", observed=False)
    counts = {d: n for d, name in computed.items() if d.year == year and (n := _statutory_count(name))}
    source = "临时推算：周末、holidays 包所载法定节假日及其补假，不含调休上班日"
    if not counts:
        counts = {date(year, m, d): 1 for m, d in _FIXED_DATE_HOLIDAYS}
        source = "临时推算：周末、固定日期的法定节假日及其补假（本年无农历数据）"
    days = frozenset(counts)
    # A substitute for a late-December holiday could fall in January; none exists today, but a
    # day outside the year must not enter this year's arrangement.
    subs = frozenset(d for d in substitute_days(counts) if d.year == year)
    return YearArrangement(year, days | subs, frozenset(), official=False, source=source, substitutes=subs)
