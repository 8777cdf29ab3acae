"""A year's holiday arrangement and the rules every arrangement obeys, whatever its source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MIN_YEAR = 1990
MAX_YEAR = 2200

_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class CalendarError(ValueError):
    """Invalid calendar data or a query outside the supported range.

    ``field`` locates the error for a program (``holidays[2]``, ``line 3, kind``); ``where`` says
    the same to a person (``holidays 第3项``, ``第3行 kind 列``); the message states the rule broken.
    """

    rule = "calendar.invalid"

    def __init__(self, field: str, message: str, *, where: str | None = None) -> None:
        self.field = field
        self.where = where or field
        self.message = message
        super().__init__(f"{self.where}：{message}")


def entry_where(key: str, index: int) -> tuple[str, str]:
    """(field, where) of the index-th entry of a YAML list."""
    return f"{key}[{index}]", f"{key} 第{index + 1}项"


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
        check_year(self.year, "year")
        if not self.substitutes <= self.holidays:
            raise CalendarError("substitutes", "每个补假日也必须是放假日")
        check_dates(
            self.year,
            ((("holidays", "holidays"), d) for d in sorted(self.holidays)),
            ((("workdays", "workdays"), d) for d in sorted(self.workdays)),
        )


def check_year(year: object, field: str, where: str | None = None) -> int:
    # bool is an int subclass; `year: true` in YAML is a typo, not year 1.
    if not isinstance(year, int) or isinstance(year, bool):
        raise CalendarError(field, f"年份应为整数，实为 {year!r}", where=where)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(field, f"{year}年超出支持的范围（{MIN_YEAR}–{MAX_YEAR}年）", where=where)
    return year


Located = tuple[tuple[str, str], date]
"""A date with the (field, where) of the entry it came from, so an error can name that entry."""


def check_dates(year: int, holidays: Iterable[Located], workdays: Iterable[Located]) -> None:
    """Shared by validate() and the parsers so that parse errors can name the exact entry."""
    seen_holidays: dict[date, str] = {}
    for (field, where), d in holidays:
        if d.year != year:
            raise CalendarError(field, f"{d.isoformat()} 不在{year}年内", where=where)
        seen_holidays[d] = where
    for (field, where), d in workdays:
        if d.year != year:
            raise CalendarError(field, f"{d.isoformat()} 不在{year}年内", where=where)
        if d.weekday() < 5:
            raise CalendarError(
                field, f"{d.isoformat()} 是{_WEEKDAY_NAMES[d.weekday()]}；调休上班日必须是周六或周日", where=where
            )
        if d in seen_holidays:
            raise CalendarError(
                field,
                f"{d.isoformat()} 同时列为放假日（{seen_holidays[d]}）；同一天不能既放假又调休上班",
                where=where,
            )
