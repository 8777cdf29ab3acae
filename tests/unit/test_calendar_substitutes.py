"""Substitute days (补假) of provisional years: 《全国年节及纪念日放假办法》 (2024) Art. 6."""

from __future__ import annotations

from datetime import date

import pytest
from holidays import country_holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.calendar import DayKind, WorkCalendar, builtin_arrangements, provisional_arrangement, substitute_days


def D(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 2027: 春节 2/5(Fri)–2/8(Mon) with 2/6–7 on the weekend; 劳动节 5/1–2 Sat–Sun; 国庆 10/2–3 Sat–Sun.
        (2027, ("2027-02-09", "2027-02-10", "2027-05-03", "2027-05-04", "2027-10-04", "2027-10-05")),
        # 2028: 元旦 Sat 1/1; 端午 Sun 5/28; 国庆 Sun 10/1 (10/3 is 中秋 and 国庆 on a Tuesday: nothing extra).
        (2028, ("2028-01-03", "2028-05-29", "2028-10-04")),
        # 2029: 端午 Sat 6/16, 中秋 Sat 9/22.
        (2029, ("2029-06-18", "2029-09-24")),
    ],
)
def test_substitute_days_of_concrete_years(year: int, expected: tuple[str, ...]) -> None:
    arrangement = provisional_arrangement(year)
    assert arrangement.substitutes == frozenset(D(d) for d in expected)
    assert not arrangement.official  # still provisional: 调休 cannot be foreseen


def test_two_festivals_on_one_sunday_are_made_up_twice() -> None:
    # 2039: 10/1 is a Saturday, 10/2 a Sunday that is both 中秋 and the 2nd day of 国庆: three
    # holidays on the weekend, three weekdays made up after 10/3 (Mon).
    expected = frozenset({D("2039-10-04"), D("2039-10-05"), D("2039-10-06")})
    assert substitute_days({D("2039-10-01"): 1, D("2039-10-02"): 2, D("2039-10-03"): 1}) == expected
    assert provisional_arrangement(2039).substitutes >= expected


def test_holidays_for_some_citizens_are_never_made_up() -> None:
    # Art. 3 (妇女节, 青年节 half days, 儿童节, 建军节) is not in the 13 days; Art. 6 gives them no 补假.
    arrangement = provisional_arrangement(2027)
    for day in ("2027-03-08", "2027-06-01", "2027-08-01"):
        assert D(day) not in arrangement.holidays


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2027-04-30", 1, "2027-05-05"),  # 5/1–2 holiday on the weekend, 5/3–4 补假
        ("2027-09-30", 1, "2027-10-06"),  # 10/1 Fri, 10/2–3 weekend holidays, 10/4–5 补假
        ("2027-12-31", 1, "2028-01-04"),  # 元旦 2028 on a Saturday: 1/3 补假
        ("2028-05-26", 1, "2028-05-30"),  # 端午 Sunday 5/28: 5/29 补假
    ],
)
def test_working_days_skip_substitute_days(cal: WorkCalendar, start: str, n: int, expected: str) -> None:
    assert cal.add_workdays_flagged(D(start), n) == (D(expected), True)


def test_explained_day_is_marked_as_substitute(cal: WorkCalendar) -> None:
    info = cal.day_info(D("2027-05-03"))
    assert (info.kind, info.workday, info.provisional, info.note) == (DayKind.HOLIDAY, False, True, "补假")


def test_agrees_with_the_holidays_package_observed_rule() -> None:
    """An independent oracle: holidays.China's observed days implement the same Art. 6."""
    for year in range(2027, 2100):
        observed = {
            d
            for d, name in country_holidays("CN", years=year, language="en_US", observed=True).items()
            if "observed" in name
        }
        assert provisional_arrangement(year).substitutes == observed, year


@pytest.mark.parametrize("year", [2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024, 2025, 2026])
def test_every_substitute_day_was_a_day_off_in_the_official_arrangement(year: int) -> None:
    # The placement is a convention (2012 and 2015 put one elsewhere; 2020 had extra days): in
    # these years every day the rule predicts was in fact a day off.
    official = builtin_arrangements()[year]
    assert provisional_arrangement(year).substitutes <= official.holidays


@settings(max_examples=60, deadline=None, database=None)
@given(st.integers(min_value=2027, max_value=2099))
def test_one_weekday_off_per_holiday_on_a_weekend(year: int) -> None:
    arrangement = provisional_arrangement(year)
    statutory = arrangement.holidays - arrangement.substitutes
    names = country_holidays("CN", years=year, language="en_US", observed=False)
    on_weekend = sum(len(names[d].split("; ")) for d in statutory if d.weekday() >= 5)
    assert len(arrangement.substitutes) == on_weekend
    assert all(d.weekday() < 5 and d not in statutory for d in arrangement.substitutes)
    assert arrangement.workdays == frozenset()
