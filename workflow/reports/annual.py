"""The annual report's Tables 3 and 4, computed from case facts, with the reconciliation check
that a report must pass before anyone sees it. Pure: no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from states.remedies import PENDING
from workflow.errors import Refused
from workflow.reports.facts import CaseFacts, Filing, year_end
from workflow.reports.layout import (
    APPLICANT_COLUMNS,
    CARRIED_FORWARD,
    CARRIED_OVER,
    COLUMN_LABELS,
    COLUMNS,
    DATA_ROWS,
    HANDLED_TOTAL,
    NEW,
    RESULT_ROWS,
    ROWS_BY_KEY,
    TABLE4_GROUP_LABELS,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TABLE4_RESULTS,
    TOTAL,
)
from workflow.timeutil import utc_stamp

RULE = "report.reconciliation"


@dataclass
class Cell:
    """A number of the report and the case numbers behind it (one entry per counted item)."""

    count: int = 0
    cases: list[str] = field(default_factory=list)

    def add(self, number: str) -> None:
        self.count += 1
        self.cases.append(number)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "cases": list(self.cases)}


Grid = dict[str, dict[str, Cell]]


def _grid(rows: Iterable[str], columns: Iterable[str]) -> Grid:
    cols = tuple(columns)
    return {r: {c: Cell() for c in cols} for r in rows}


def cell_name3(row: str, column: str) -> str:
    return f"表三「{ROWS_BY_KEY[row].full_label}」行「{COLUMN_LABELS[column]}」列"


def cell_name4(group: str, result: str) -> str:
    return f"表四「{TABLE4_GROUP_LABELS[group]}·{TABLE4_RESULT_LABELS[result]}」"


@dataclass
class AnnualReport:
    year: int
    cutoff: datetime  # the ledger as of this moment (UTC): 31 December 24:00 Beijing for a closed year
    office: str
    table3: Grid
    table4: Grid
    notes: list[str] = field(default_factory=list)

    @property
    def final(self) -> bool:
        """True when the cut-off is the end of the year (the report can no longer change)."""
        return self.cutoff >= year_end(self.year)

    def problems(self) -> list[str]:
        """Every failed reconciliation rule, naming the cells; empty when the report is sound."""
        return self._listed() + self._columns() + self._rows() + self._table4()

    def _listed(self) -> list[str]:
        """Each number equals the cases listed behind it."""
        return [
            f"{name(r, c)}：数字 {cell.count} 与所列案件 {len(cell.cases)} 件不符"
            for grid, name in ((self.table3, cell_name3), (self.table4, cell_name4))
            for r, cells in grid.items()
            for c, cell in cells.items()
            if cell.count != len(cell.cases)
        ]

    def _columns(self) -> list[str]:
        """Per column: 一 + 二 = 三（七） + 四, and （七） is the sum of （一） to （六）."""
        t, out = self.table3, []
        for c in COLUMNS:
            left = t[NEW][c].count + t[CARRIED_OVER][c].count
            right = t[HANDLED_TOTAL][c].count + t[CARRIED_FORWARD][c].count
            if left != right:
                out.append(
                    f"表三「{COLUMN_LABELS[c]}」列：一+二={left}，三（七）+四={right}，"
                    f"涉及{cell_name3(NEW, c)}、{cell_name3(CARRIED_OVER, c)}、"
                    f"{cell_name3(HANDLED_TOTAL, c)}、{cell_name3(CARRIED_FORWARD, c)}"
                )
            results = sum(t[r][c].count for r in RESULT_ROWS)
            if results != t[HANDLED_TOTAL][c].count:
                out.append(
                    f"{cell_name3(HANDLED_TOTAL, c)}：{t[HANDLED_TOTAL][c].count}，但（一）至（六）各项之和为 {results}"
                )
        return out

    def _rows(self) -> list[str]:
        """Per row of Table 3: the six kinds of applicant add up to the total."""
        t = self.table3
        sums = {r: sum(t[r][c].count for c in APPLICANT_COLUMNS) for r in DATA_ROWS}
        return [
            f"{cell_name3(r, TOTAL)}：{t[r][TOTAL].count}，但六类申请人之和为 {six}"
            for r, six in sums.items()
            if six != t[r][TOTAL].count
        ]

    def _table4(self) -> list[str]:
        """Per group of Table 4: the results add up to the total."""
        sums = {g: sum(self.table4[g][r].count for r in TABLE4_RESULTS if r != TOTAL) for g in TABLE4_GROUPS}
        return [
            f"{cell_name4(g, TOTAL)}：{self.table4[g][TOTAL].count}，但各项结果之和为 {parts}"
            for g, parts in sums.items()
            if parts != self.table4[g][TOTAL].count
        ]

    def check(self) -> AnnualReport:
        """The report itself if it reconciles.

        Raises:
            Refused: rule report.reconciliation, naming every failing cell.
        """
        problems = self.problems()
        if problems:
            raise Refused(f"{self.year}年度报告未通过勾稽校验，不予出具：" + "；".join(problems), RULE)
        return self

    def as_dict(self) -> dict[str, Any]:
        """Everything, for JSON: each cell with its count and case numbers. Deterministic (no
        generation time), so the same year and cut-off always give the same document."""
        return {
            "year": self.year,
            "office": self.office,
            "cutoff": utc_stamp(self.cutoff),
            "final": self.final,
            "reconciled": not self.problems(),
            "columns": [{"key": c, "label": COLUMN_LABELS[c]} for c in COLUMNS],
            "table3": [
                {
                    "key": key,
                    "label": ROWS_BY_KEY[key].label,
                    "group": ROWS_BY_KEY[key].group,
                    "cells": {c: cell.as_dict() for c, cell in self.table3[key].items()},
                }
                for key in DATA_ROWS
            ],
            "table4": [
                {
                    "key": g,
                    "label": TABLE4_GROUP_LABELS[g],
                    "cells": {r: cell.as_dict() for r, cell in self.table4[g].items()},
                }
                for g in TABLE4_GROUPS
            ],
            "notes": list(self.notes),
        }


def _count(t: Grid, row: str, kind: str, number: str) -> None:
    if kind in t[row]:
        t[row][kind].add(number)
    t[row][TOTAL].add(number)


@dataclass
class _Noted:
    late: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        out = []
        if self.late:
            out.append(f"上年收到、本年登记的申请计入本年新收：{'、'.join(self.late)}")
        if self.unplaced:
            out.append(f"办理结果无法归入表三各项、计入“（六）其他处理 3.其他”的申请：{'、'.join(self.unplaced)}")
        if self.unknown:
            out.append(f"申请人类型无法识别、未计入任何申请人列的申请：{'、'.join(self.unknown)}")
        return out


def _count_case(t: Grid, f: CaseFacts, first: date, last: date, noted: _Noted) -> None:
    """One case into Table 3: new or carried over, then handled (by its row) or carried forward."""
    assert f.booked_on is not None
    handled = f.handled_on if f.handled_on is not None and f.handled_on <= last else None
    if f.booked_on >= first:
        _count(t, NEW, f.applicant_kind, f.number)
        if f.late_registration:
            noted.late.append(f.number)
    elif handled is None or handled >= first:
        _count(t, CARRIED_OVER, f.applicant_kind, f.number)
    else:
        return  # handled in an earlier year
    if handled is None:
        _count(t, CARRIED_FORWARD, f.applicant_kind, f.number)
        return
    _count(t, f.row or "other.other", f.applicant_kind, f.number)
    _count(t, HANDLED_TOTAL, f.applicant_kind, f.number)
    if f.unplaced:
        noted.unplaced.append(f.number)


def compute_table3(year: int, cases: Iterable[CaseFacts]) -> tuple[Grid, list[str]]:
    """Table 3 for `year` from facts already limited to the cut-off; also the notes it needs."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    t = _grid(DATA_ROWS, COLUMNS)
    noted = _Noted()
    for f in sorted(cases, key=lambda f: f.case_id):
        if f.booked_on is None or f.booked_on > last:
            continue
        if f.applicant_kind not in APPLICANT_COLUMNS:
            noted.unknown.append(f.number)
        _count_case(t, f, first, last, noted)
    return t, noted.notes()


def compute_table4(year: int, items: Iterable[Filing]) -> Grid:
    """Table 4: each filing in the year of filing, by its result as of the cut-off."""
    t = _grid(TABLE4_GROUPS, TABLE4_RESULTS)
    for f in sorted(items, key=lambda f: (f.case_id, f.seq)):
        if f.booked_on.year != year or f.kind not in t:
            continue
        t[f.kind][f.result if f.result in t[f.kind] else PENDING].add(f.number)
        t[f.kind][TOTAL].add(f.number)
    return t


def compute_annual(
    year: int, cutoff: datetime, office: str, cases: Iterable[CaseFacts], items: Iterable[Filing]
) -> AnnualReport:
    """The report (not yet checked: call .check())."""
    table3, notes = compute_table3(year, cases)
    return AnnualReport(year, cutoff, office, table3, compute_table4(year, items), notes)
