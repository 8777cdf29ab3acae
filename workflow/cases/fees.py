"""Information processing fees (政府信息公开信息处理费管理办法, 国办函〔2020〕109号), pure.

One method per application, never both (Art. 3). Amounts are whole yuan.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeeLine:
    start: int  # first unit of the band (application number or page)
    end: int
    rate: int  # yuan per unit
    units: int

    @property
    def amount(self) -> int:
        return self.rate * self.units


@dataclass(frozen=True)
class Fee:
    method: str  # per_count | per_page
    quantity: int
    lines: tuple[FeeLine, ...]

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


def _bands(quantity: int, bands: list[tuple[int, int | None, int]]) -> tuple[FeeLine, ...]:
    lines = []
    for start, end, rate in bands:
        if quantity < start:
            break
        top = quantity if end is None else min(end, quantity)
        if rate:
            lines.append(FeeLine(start, top, rate, top - start + 1))
    return tuple(lines)


def per_count_fee(nth_application: int) -> Fee:
    """Fee for the applicant's n-th application in one natural month (Art. 4).

    1–10 free; 11–30: 100 yuan each; from 31, every further band of 10 adds 100 yuan.
    The fee is charged for this application only: its rate is that of the band it falls in.
    """
    if nth_application < 1:
        raise ValueError("count: must be at least 1 (the applicant's n-th application this month)")
    if nth_application <= 10:
        rate = 0
    elif nth_application <= 30:
        rate = 100
    else:
        rate = 100 * (2 + (nth_application - 31) // 10)
    lines = (FeeLine(nth_application, nth_application, rate, 1),) if rate else ()
    return Fee("per_count", nth_application, lines)


def per_count_total(applications: int) -> int:
    """The total charged for `applications` applications in one month (35 → 3,000 yuan)."""
    return sum(per_count_fee(n).amount for n in range(1, applications + 1))


def per_page_fee(pages: int) -> Fee:
    """Fee by volume for one application (Art. 5): ≤30 free; 31–100 ¥10; 101–200 ¥20; >200 ¥40 a page."""
    if pages < 1:
        raise ValueError("pages: must be at least 1")
    return Fee("per_page", pages, _bands(pages, [(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40)]))


def compute_fee(method: str, quantity: int) -> Fee:
    if method == "per_count":
        return per_count_fee(quantity)
    if method == "per_page":
        return per_page_fee(quantity)
    raise ValueError(f"method: '{method}' is not per_count or per_page")
