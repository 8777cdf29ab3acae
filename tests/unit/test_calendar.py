from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workflow.calendar.sources as calsources
from workflow.calendar import (
    CalendarError,
    DayKind,
    WorkCalendar,
    YearArrangement,
    builtin_arrangements,
    load_arrangement_file,
    parse_arrangement,
    provisional_arrangement,
)

D = date.fromisoformat
ONE_DAY = timedelta(days=1)


def expand(*entries: str) -> frozenset[date]:
    out: set[date] = set()
    for entry in entries:
        first, _, last = entry.partition("..")
        d, end = D(first), D(last or first)
        while d <= end:
            out.add(d)
            d += ONE_DAY
    return frozenset(out)


# The State Council notices, transcribed independently of the shipped YAML files.
OFFICIAL = {
    2025: (
        expand(
            "2025-01-01",
            "2025-01-28..2025-02-04",
            "2025-04-04..2025-04-06",
            "2025-05-01..2025-05-05",
            "2025-05-31..2025-06-02",
            "2025-10-01..2025-10-08",
        ),
        expand("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"),
    ),
    2026: (
        expand(
            "2026-01-01..2026-01-03",
            "2026-02-15..2026-02-23",
            "2026-04-04..2026-04-06",
            "2026-05-01..2026-05-05",
            "2026-06-19..2026-06-21",
            "2026-09-25..2026-09-27",
            "2026-10-01..2026-10-07",
        ),
        expand("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"),
    ),
}

PROVISIONAL_2027 = expand(
    "2027-01-01",
    "2027-02-05..2027-02-08",
    "2027-04-05",
    "2027-05-01",
    "2027-05-02",
    "2027-06-09",
    "2027-09-15",
    "2027-10-01..2027-10-03",
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def naive_add(start: date, n: int) -> date:
    d, count = start, 0
    while count < n:
        d += ONE_DAY
        if chinese_calendar.is_workday(d):
            count += 1
    return d


# --------------------------------------------------------------------------
# Built-in data


def test_builtin_years_are_official_2004_to_2026() -> None:
    arrangements = builtin_arrangements()
    assert set(range(2004, 2027)) <= set(arrangements)
    assert all(a.official for a in arrangements.values())
    for year, arrangement in arrangements.items():
        assert arrangement.year == year
        arrangement.validate()


@pytest.mark.parametrize("year", [2025, 2026])
def test_builtin_matches_state_council_notice(year: int) -> None:
    arrangement = builtin_arrangements()[year]
    holidays, workdays = OFFICIAL[year]
    assert arrangement.holidays == holidays
    assert arrangement.workdays == workdays
    assert f"{year}年部分节假日安排的通知" in arrangement.source


def test_builtin_count_of_dates() -> None:
    assert len(OFFICIAL[2025][0]) == 28
    assert len(OFFICIAL[2026][0]) == 33


def test_builtin_returns_a_copy() -> None:
    builtin_arrangements().pop(2026)
    assert 2026 in builtin_arrangements()


def test_years_from_2025_never_come_from_chinese_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    from chinese_calendar import constants

    fake_holidays = dict(constants.holidays)
    fake_holidays[date(2025, 3, 3)] = "fake"
    fake_holidays[date(2027, 3, 3)] = "fake"
    fake_workdays = dict(constants.workdays)
    fake_workdays[date(2027, 3, 6)] = "fake"
    monkeypatch.setattr(constants, "holidays", fake_holidays)
    monkeypatch.setattr(constants, "workdays", fake_workdays)
    calsources.builtin.cache_clear()
    try:
        arrangements = builtin_arrangements()
        assert 2027 not in arrangements
        assert date(2025, 3, 3) not in arrangements[2025].holidays
        assert WorkCalendar().is_provisional_year(2027)
    finally:
        calsources.builtin.cache_clear()


# --------------------------------------------------------------------------
# add_workdays vectors

VECTORS = [
    # 2025 Spring Festival: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 are working days.
    ("2025-01-24", 1, "2025-01-26"),
    ("2025-01-26", 1, "2025-01-27"),
    ("2025-01-27", 1, "2025-02-05"),
    ("2025-01-27", 3, "2025-02-07"),
    ("2025-02-07", 1, "2025-02-08"),
    # 2025 Qingming, Labour Day, Dragon Boat.
    ("2025-04-03", 1, "2025-04-07"),
    ("2025-04-25", 1, "2025-04-27"),
    ("2025-04-30", 1, "2025-05-06"),
    ("2025-05-30", 1, "2025-06-03"),
    # 2025 National Day: 10/1–8 off, Sunday 9/28 and Saturday 10/11 are working days.
    ("2025-09-25", 5, "2025-10-09"),
    ("2025-09-26", 1, "2025-09-28"),
    ("2025-09-30", 1, "2025-10-09"),
    ("2025-09-30", 3, "2025-10-11"),
    ("2025-10-01", 1, "2025-10-09"),
    # Year end 2025 -> 2026: 1/1–3 off, Sunday 1/4 is a working day.
    ("2025-12-31", 1, "2026-01-04"),
    ("2025-12-31", 2, "2026-01-05"),
    ("2025-12-31", 20, "2026-01-29"),
    ("2026-01-01", 1, "2026-01-04"),
    # 2026 Spring Festival: 2/15–23 off, Saturdays 2/14 and 2/28 are working days.
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-14", 1, "2026-02-24"),
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-13", 20, "2026-03-19"),
    ("2026-02-27", 1, "2026-02-28"),
    # 2026 Qingming, Labour Day (Saturday 5/9 works), Dragon Boat.
    ("2026-04-03", 1, "2026-04-07"),
    ("2026-04-30", 1, "2026-05-06"),
    ("2026-05-08", 1, "2026-05-09"),
    ("2026-06-18", 1, "2026-06-22"),
    # 2026 Mid-Autumn 9/25–27 and National Day 10/1–7; Sunday 9/20 and Saturday 10/10 work.
    ("2026-09-18", 1, "2026-09-20"),
    ("2026-09-25", 5, "2026-10-09"),
    ("2026-09-25", 6, "2026-10-10"),
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-10-01", 1, "2026-10-08"),
    # Into provisional 2027.
    ("2026-11-02", 20, "2026-11-30"),
    ("2026-12-04", 20, "2027-01-04"),
    ("2026-12-31", 1, "2027-01-04"),
    # 2027 Spring Festival 2/5–8 with 2/6–7 on a weekend: 补假 2/9 and 2/10 (办法 Art. 6).
    ("2027-02-04", 1, "2027-02-11"),
    # Deep past (chinese_calendar era): 2024 Spring Festival 2/10–17 off, Sunday 2/18 works.
    ("2024-02-09", 1, "2024-02-18"),
    ("2004-01-01", 1, "2004-01-02"),
]


@pytest.mark.parametrize(("start", "n", "expected"), VECTORS)
def test_add_workdays_vectors(cal: WorkCalendar, start: str, n: int, expected: str) -> None:
    assert cal.add_workdays(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        ("2026-12-04", 20, "2027-01-04", True),
        ("2026-11-02", 20, "2026-11-30", False),
        ("2026-12-31", 1, "2027-01-04", True),
        ("2025-12-31", 1, "2026-01-04", False),
        ("2027-03-01", 0, "2027-03-01", True),
        ("2026-03-01", 0, "2026-03-01", False),
        ("2003-12-01", 30, "2004-01-13", True),
        ("2024-12-02", 30, "2025-01-14", False),
    ],
)
def test_add_workdays_flagged(cal: WorkCalendar, start: str, n: int, expected: str, provisional: bool) -> None:
    assert cal.add_workdays_flagged(D(start), n) == (D(expected), provisional)


def test_add_zero_returns_start_even_on_holiday(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D("2026-10-01"), 0) == D("2026-10-01")


def test_add_negative_raises(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match=r"^n：工作日数不能为负数"):
        cal.add_workdays(D("2026-10-01"), -1)


@settings(max_examples=300, deadline=None, database=None)
@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 1)),
    n=st.integers(min_value=1, max_value=60),
)
def test_add_workdays_equals_naive_loop(start: date, n: int) -> None:
    assert WorkCalendar().add_workdays(start, n) == naive_add(start, n)


def test_add_workdays_equals_naive_loop_seeded(cal: WorkCalendar) -> None:
    rng = random.Random(20260101)
    first, last = date(2004, 1, 1).toordinal(), date(2026, 9, 1).toordinal()
    for _ in range(400):
        start = date.fromordinal(rng.randint(first, last))
        n = rng.randint(1, 60)
        assert cal.add_workdays(start, n) == naive_add(start, n), (start, n)


def test_is_workday_equals_chinese_calendar_2004_to_2026(cal: WorkCalendar) -> None:
    d = date(2004, 1, 1)
    while d.year <= 2026:
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += ONE_DAY


def test_add_workdays_is_fast_compared_with_naive_loop(cal: WorkCalendar) -> None:
    start = date(2024, 3, 1)
    calls = 200

    def best(fn: object) -> float:
        timings = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(calls):
                fn(start, 20)  # type: ignore[operator]
            timings.append(time.perf_counter() - t0)
        return min(timings)

    assert cal.add_workdays(start, 20) == naive_add(start, 20)
    ratio = best(naive_add) / best(cal.add_workdays)
    assert ratio >= 50, f"add_workdays only {ratio:.0f}x faster than a day-by-day loop"


# --------------------------------------------------------------------------
# workdays_between / next_workday_on_or_after


@settings(max_examples=300, deadline=None, database=None)
@given(
    start=st.dates(min_value=date(1995, 1, 1), max_value=date(2099, 1, 1)),
    n=st.integers(min_value=0, max_value=400),
)
def test_workdays_between_inverts_add_workdays(start: date, n: int) -> None:
    cal = WorkCalendar()
    end = cal.add_workdays(start, n)
    assert cal.workdays_between(start, end) == n
    if n >= 1:
        assert cal.workdays_between(start, end - ONE_DAY) == n - 1
        assert cal.is_workday(end)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-09-25", "2026-10-09", 5),
        ("2026-02-13", "2026-02-24", 2),
        ("2025-12-31", "2026-01-04", 1),
        ("2025-12-31", "2026-01-03", 0),
        ("2026-03-02", "2026-03-02", 0),
        ("2026-03-09", "2026-03-02", 0),
        ("2026-03-01", "2026-03-31", 22),
    ],
)
def test_workdays_between_vectors(cal: WorkCalendar, a: str, b: str, expected: int) -> None:
    assert cal.workdays_between(D(a), D(b)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-02-14", "2026-02-14"),
        ("2026-02-15", "2026-02-24"),
        ("2026-10-01", "2026-10-08"),
        ("2026-03-02", "2026-03-02"),
        ("2026-03-07", "2026-03-09"),
        ("2026-12-31", "2026-12-31"),
        ("2027-01-01", "2027-01-04"),
    ],
)
def test_next_workday_on_or_after(cal: WorkCalendar, day: str, expected: str) -> None:
    assert cal.next_workday_on_or_after(D(day)) == D(expected)


# --------------------------------------------------------------------------
# Provisional years


# 2027 (checked with holidays.China): 春节 2/6–7, 劳动节 5/1–2 and 国庆 10/2–3 fall on a weekend.
SUBSTITUTES_2027 = expand("2027-02-09", "2027-02-10", "2027-05-03", "2027-05-04", "2027-10-04", "2027-10-05")


def test_provisional_2027_has_the_13_statutory_dates_and_their_substitute_days() -> None:
    arrangement = provisional_arrangement(2027)
    assert arrangement.holidays - arrangement.substitutes == PROVISIONAL_2027
    assert len(PROVISIONAL_2027) == 13
    assert arrangement.substitutes == SUBSTITUTES_2027
    assert arrangement.holidays == PROVISIONAL_2027 | SUBSTITUTES_2027
    assert arrangement.workdays == frozenset()
    assert arrangement.official is False


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # holidays.China knows the official substitutions for these years; they must be dropped.
        (
            2025,
            expand(
                "2025-01-01",
                "2025-01-28..2025-01-31",
                "2025-04-04",
                "2025-05-01..2025-05-02",
                "2025-05-31",
                "2025-10-01..2025-10-03",
                "2025-10-06",
            ),
        ),
        (
            2026,
            expand(
                "2026-01-01",
                "2026-02-16..2026-02-19",
                "2026-04-05",
                "2026-05-01..2026-05-02",
                "2026-06-19",
                "2026-09-25",
                "2026-10-01..2026-10-03",
            ),
        ),
    ],
)
def test_provisional_drops_substituted_and_observed_days(year: int, expected: frozenset[date]) -> None:
    arrangement = provisional_arrangement(year)
    assert arrangement.holidays - arrangement.substitutes == expected
    assert len(expected) == 13


def test_provisional_year_without_lunar_data_keeps_fixed_dates() -> None:
    arrangement = provisional_arrangement(2150)
    fixed = expand("2150-01-01", "2150-05-01..2150-05-02", "2150-10-01..2150-10-03")
    assert arrangement.holidays - arrangement.substitutes == fixed
    # 2150: 1/1 Thu, 5/1–2 Fri–Sat, 10/1–3 Thu–Sat: the Saturdays are made up on the next Monday.
    assert arrangement.substitutes == expand("2150-05-04", "2150-10-05")
    assert not arrangement.official


@pytest.mark.parametrize(
    ("year", "provisional"),
    [(1990, True), (2003, True), (2004, False), (2024, False), (2025, False), (2026, False), (2027, True)],
)
def test_is_provisional_year(cal: WorkCalendar, year: int, provisional: bool) -> None:
    assert cal.is_provisional_year(year) is provisional


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2025-01-01", "2026-12-31", []),
        ("2026-12-01", "2028-01-10", [2027, 2028]),
        ("2028-01-10", "2026-12-01", [2027, 2028]),
        ("2003-06-01", "2004-06-01", [2003]),
    ],
)
def test_provisional_years_between(cal: WorkCalendar, a: str, b: str, expected: list[int]) -> None:
    assert cal.provisional_years_between(D(a), D(b)) == expected


def test_import_replaces_provisional_year() -> None:
    imported = parse_arrangement(
        'year: 2027\nsource: test\nholidays: ["2027-01-01..2027-01-03"]\nworkdays: []\n', "yaml"
    )
    cal = WorkCalendar(overrides={2027: imported})
    assert not cal.is_provisional_year(2027)
    assert cal.add_workdays_flagged(D("2026-12-04"), 20) == (D("2027-01-04"), False)
    # 2/5 was a provisional holiday; the import does not list it.
    assert cal.add_workdays(D("2027-02-04"), 1) == D("2027-02-05")


def test_override_key_must_match_year() -> None:
    with pytest.raises(CalendarError, match=r"^overrides\[2028\]：所给放假安排属于2027年"):
        WorkCalendar(overrides={2028: provisional_arrangement(2027)})


# --------------------------------------------------------------------------
# Range handling


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("1995-05-05", 1, "1995-05-08"),
        ("2150-01-01", 1, "2150-01-02"),
        ("2199-12-30", 1, "2199-12-31"),
    ],
)
def test_span_extends_outside_initial_window(start: str, n: int, expected: str) -> None:
    cal = WorkCalendar()
    assert cal.add_workdays(D(start), n) == D(expected)
    assert cal.workdays_between(D(start), D(expected)) == n


def test_long_period_extends_span_forward() -> None:
    cal = WorkCalendar()
    end = cal.add_workdays(D("2026-01-01"), 5000)
    assert date(2045, 1, 1) < end < date(2047, 1, 1)
    assert cal.workdays_between(D("2026-01-01"), end) == 5000


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_workdays(D("1989-12-29"), 1),
        lambda c: c.add_workdays(D("2201-01-01"), 1),
        lambda c: c.add_workdays(D("2200-12-20"), 30),
        lambda c: c.is_workday(D("1989-06-01")),
        lambda c: c.workdays_between(D("2026-01-01"), D("2201-01-01")),
        lambda c: c.day_info(D("2201-01-01")),
    ],
)
def test_outside_supported_range_raises(call: object) -> None:
    with pytest.raises(CalendarError, match="超出支持的范围"):
        call(WorkCalendar())  # type: ignore[operator]


# --------------------------------------------------------------------------
# Closures


def test_closure_day_is_skipped() -> None:
    cal = WorkCalendar(closures={D("2026-07-15"): "台风停止办公"})
    assert not cal.is_workday(D("2026-07-15"))
    assert cal.add_workdays(D("2026-07-14"), 1) == D("2026-07-16")
    assert cal.workdays_between(D("2026-07-13"), D("2026-07-17")) == 3
    assert cal.next_workday_on_or_after(D("2026-07-15")) == D("2026-07-16")
    info = cal.day_info(D("2026-07-15"))
    assert (info.kind, info.workday, info.note) == (DayKind.CLOSURE, False, "台风停止办公")
    assert WorkCalendar().add_workdays(D("2026-07-14"), 1) == D("2026-07-15")


def test_closure_on_make_up_day_and_outside_window() -> None:
    cal = WorkCalendar(closures={D("2026-02-14"): "", D("2150-03-02"): "停电"})
    assert cal.add_workdays(D("2026-02-13"), 1) == D("2026-02-24")
    assert cal.day_info(D("2026-02-14")).note == "临时停止办公"
    assert cal.add_workdays(D("2150-02-27"), 1) == D("2150-03-03")


# --------------------------------------------------------------------------
# day_info


@pytest.mark.parametrize(
    ("day", "kind", "workday", "provisional", "note"),
    [
        ("2026-02-14", DayKind.MAKEUP_WORKDAY, True, False, "调休上班"),
        ("2026-02-15", DayKind.HOLIDAY, False, False, "法定节假日"),
        ("2026-02-16", DayKind.HOLIDAY, False, False, "法定节假日"),
        ("2026-01-03", DayKind.HOLIDAY, False, False, "法定节假日"),
        ("2026-03-07", DayKind.WEEKEND, False, False, "周末"),
        ("2026-03-09", DayKind.WORKDAY, True, False, "工作日"),
        ("2025-10-11", DayKind.MAKEUP_WORKDAY, True, False, "调休上班"),
        ("2024-02-18", DayKind.MAKEUP_WORKDAY, True, False, "调休上班"),
        ("2027-02-05", DayKind.HOLIDAY, False, True, "法定节假日"),
        ("2027-02-09", DayKind.HOLIDAY, False, True, "补假"),
        ("2027-02-11", DayKind.WORKDAY, True, True, "工作日"),
        ("2027-02-06", DayKind.HOLIDAY, False, True, "法定节假日"),
        ("2027-02-13", DayKind.WEEKEND, False, True, "周末"),
    ],
)
def test_day_info(cal: WorkCalendar, day: str, kind: DayKind, workday: bool, provisional: bool, note: str) -> None:
    info = cal.day_info(D(day))
    assert (info.day, info.kind, info.workday, info.provisional, info.note) == (
        D(day),
        kind,
        workday,
        provisional,
        note,
    )
    assert info.workday == cal.is_workday(D(day))


def test_day_kind_values() -> None:
    assert [k.value for k in DayKind] == ["workday", "weekend", "holiday", "makeup_workday", "closure"]


# --------------------------------------------------------------------------
# Import formats


def yaml_2026() -> str:
    return (Path(calsources.__file__).parents[1] / "calendar_data" / "2026.yaml").read_text(encoding="utf-8")


def csv_2026() -> str:
    holidays, workdays = OFFICIAL[2026]
    rows = ["date,kind,name"]
    rows += [f"{d.isoformat()},holiday,节日" for d in sorted(holidays)]
    rows += [f"{d.isoformat()},workday," for d in sorted(workdays)]
    return "\n".join(rows) + "\n"


def test_yaml_and_csv_give_same_arrangement() -> None:
    from_yaml = parse_arrangement(yaml_2026(), "yaml")
    from_csv = parse_arrangement(csv_2026(), "csv")
    assert (from_yaml.year, from_yaml.holidays, from_yaml.workdays, from_yaml.official) == (
        from_csv.year,
        from_csv.holidays,
        from_csv.workdays,
        from_csv.official,
    )
    assert from_yaml.holidays == OFFICIAL[2026][0]


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".csv"])
def test_load_arrangement_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"2026{suffix}"
    text = csv_2026() if suffix == ".csv" else yaml_2026()
    # A BOM from spreadsheet exports must not break the header.
    path.write_text("\ufeff" + text, encoding="utf-8")
    arrangement = load_arrangement_file(path)
    assert arrangement.holidays == OFFICIAL[2026][0]
    assert arrangement.workdays == OFFICIAL[2026][1]
    assert arrangement.official


def test_load_arrangement_file_rejects_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "2026.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(CalendarError, match=r"^文件：文件 '2026.txt' 的扩展名不受支持"):
        load_arrangement_file(path)


def test_unquoted_yaml_dates_are_accepted() -> None:
    arrangement = parse_arrangement("year: 2026\nsource: s\nholidays: [2026-01-01]\nworkdays: [2026-01-04]\n", "yaml")
    assert arrangement.holidays == {D("2026-01-01")}
    assert arrangement.workdays == {D("2026-01-04")}


def yaml_doc(holidays: str, workdays: str = "[]", year: str = "2026") -> str:
    return f"year: {year}\nsource: test\nholidays: {holidays}\nworkdays: {workdays}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            yaml_doc('["2026-01-01", "2026-01-02", "2026-02-30"]'),
            "holidays 第3项：'2026-02-30' 不是有效日期（应为 YYYY-MM-DD）",
        ),
        (yaml_doc('["2026/01/01"]'), "holidays 第1项：'2026/01/01' 不是有效日期（应为 YYYY-MM-DD）"),
        (yaml_doc('["20260101"]'), "holidays 第1项：'20260101' 不是有效日期（应为 YYYY-MM-DD）"),
        (
            yaml_doc('["2026-01-01"]', '["2026-01-05"]'),
            "workdays 第1项：2026-01-05 是星期一；调休上班日必须是周六或周日",
        ),
        (yaml_doc('["2026-01-01", "2027-01-01"]'), "holidays 第2项：2027-01-01 不在2026年内"),
        (yaml_doc('["2026-01-01"]', '["2025-12-28"]'), "workdays 第1项：2025-12-28 不在2026年内"),
        (
            yaml_doc('["2026-01-01..2026-01-03"]', '["2026-01-03"]'),
            "workdays 第1项：2026-01-03 同时列为放假日（holidays 第1项）；同一天不能既放假又调休上班",
        ),
        (
            yaml_doc('["2026-02-23..2026-02-15"]'),
            "holidays 第1项：区间 '2026-02-23..2026-02-15' 的结束日早于开始日",
        ),
        (
            yaml_doc('["2026-12-31..2027-01-01"]'),
            "holidays 第1项：区间 '2026-12-31..2027-01-01' 跨年",
        ),
        (yaml_doc("[]"), "holidays：正式放假安排至少应列出一个放假日"),
        (yaml_doc('"2026-01-01"'), "holidays：应为日期列表"),
        (yaml_doc('["2026-01-01"]', year="'2026'"), "year：年份应为整数，实为 '2026'"),
        (yaml_doc('["1989-01-01"]', year="1989"), "year：1989年超出支持的范围"),
        ('source: s\nholidays: ["2026-01-01"]\nworkdays: []\n', "year：必须填写年份"),
        ('year: 2026\nsource: s\nholidays: ["2026-01-01"]\n', "workdays：必须填写"),
        ('year: 2026\nholiday: ["2026-01-01"]\nworkdays: []\n', "holiday：未知的项"),
        ('year: 2026\nsource: ""\nholidays: ["2026-01-01"]\nworkdays: []\n', "source：应为非空文字"),
        ("- 2026-01-01\n", "yaml：应为包含 year、source、holidays、workdays 四项的映射"),
        ("year: [2026\n", "yaml：不是有效的 YAML"),
    ],
)
def test_yaml_errors_name_the_field(text: str, message: str) -> None:
    with pytest.raises(CalendarError) as excinfo:
        parse_arrangement(text, "yaml")
    assert str(excinfo.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "date,kind\n2026-01-01,holiday\n2026-01-04,vacation\n",
            "第3行 kind 列：'vacation' 应为 holiday（放假）或 workday（调休上班）",
        ),
        ("date,kind\n2026-13-01,holiday\n", "第2行 date 列：'2026-13-01' 不是有效日期（应为 YYYY-MM-DD）"),
        (
            "date,kind\n2026-01-01,holiday\n2027-01-01,holiday\n",
            "第3行 date 列：2027-01-01 不在2026年内（所有行须属同一年）",
        ),
        (
            "date,kind\n2026-01-01,holiday\n2026-01-06,workday\n",
            "第3行：2026-01-06 是星期二；调休上班日必须是周六或周日",
        ),
        ("day,type\n2026-01-01,holiday\n", "header：表头应为“date,kind”或“date,kind,name”"),
        ("date,kind\n2026-01-01\n", "第2行：应有 2 或 3 列"),
        ("date,kind\n", "rows：表头之后没有数据行"),
        ("", "header：缺少表头"),
        (
            "date,kind\n2026-01-04,workday\n",
            "holidays：正式放假安排至少应列出一个放假日",
        ),
    ],
)
def test_csv_errors_name_the_field(text: str, message: str) -> None:
    with pytest.raises(CalendarError) as excinfo:
        parse_arrangement(text, "csv")
    assert str(excinfo.value).startswith(message)


def test_unknown_format_raises() -> None:
    with pytest.raises(CalendarError, match=r"^格式：不支持的格式 'json'"):
        parse_arrangement("{}", "json")


def test_csv_source_and_blank_lines() -> None:
    arrangement = parse_arrangement(
        "date,kind,name\n\n2026-01-01,Holiday,元旦\n 2026-01-04 , workday ,\n", "csv", source="国办通知"
    )
    assert arrangement.year == 2026
    assert arrangement.holidays == {D("2026-01-01")}
    assert arrangement.workdays == {D("2026-01-04")}
    assert arrangement.source == "国办通知"


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ({D("2026-01-01")}, {D("2026-01-05")}, "workdays：2026-01-05 是星期一"),
        ({D("2027-01-01")}, set(), "holidays：2027-01-01 不在2026年内"),
        ({D("2026-01-03")}, {D("2026-01-03")}, "workdays：2026-01-03 同时列为放假日"),
    ],
)
def test_validate(holidays: set[date], workdays: set[date], message: str) -> None:
    arrangement = YearArrangement(2026, frozenset(holidays), frozenset(workdays), True, "test")
    with pytest.raises(CalendarError) as excinfo:
        arrangement.validate()
    assert str(excinfo.value).startswith(message)


def test_errors_locate_the_entry_for_programs_and_people() -> None:
    with pytest.raises(CalendarError) as excinfo:
        parse_arrangement("date,kind\n2026-01-01,holiday\n2026-01-04,vacation\n", "csv")
    assert (excinfo.value.field, excinfo.value.where) == ("line 3, kind", "第3行 kind 列")
    with pytest.raises(CalendarError) as excinfo:
        parse_arrangement(yaml_doc('["2026-01-01", "2026-02-30"]'), "yaml")
    assert (excinfo.value.field, excinfo.value.where) == ("holidays[1]", "holidays 第2项")


def test_today_only_sizes_the_index() -> None:
    far = WorkCalendar(today=D("2150-06-01"))
    assert far.add_workdays(D("2026-09-30"), 3) == WorkCalendar().add_workdays(D("2026-09-30"), 3)
    assert far.add_workdays(D("2150-01-01"), 1) == D("2150-01-02")


def test_the_calendar_never_reads_the_clock() -> None:
    package = Path(calsources.__file__).parent
    for path in package.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "date.today" not in text and "datetime.now" not in text and "time.time" not in text, path.name
