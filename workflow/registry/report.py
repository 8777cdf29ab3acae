"""Section 二 of the annual report (主动公开政府信息情况), counted from the registry.

The national form's 第二部分 table has, for 规章 and 行政规范性文件, the number made this year
(本年制发), repealed this year (本年废止) and in force at the year's end (现行有效件数). An item
counts as made in the year of its 成文日期, repealed in the year of its `expire` action's date,
and in force when made by the year's end and not repealed (or withdrawn) by then. Items of other
kinds are not in the table. `from_registry` tells the report whether the registry holds any item
of the kind, so it can fall back to the office's own figures where it does not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from states.registry import ItemState, Kind
from workflow.models.registry import InfoItem

ROWS = {Kind.RULE: "规章", Kind.NORMATIVE: "行政规范性文件"}


def section_two(session: Session, year: int) -> dict[str, Any]:
    """Counts for the 第二部分 table: {"rule": {...}, "normative": {...}} keyed by the kind."""
    end = date(year, 12, 31)
    stmt = select(InfoItem).where(col(InfoItem.kind).in_([k.value for k in ROWS]))
    out: dict[str, Any] = {
        kind.value: {"label": label, "made": 0, "repealed": 0, "in_force": 0, "from_registry": False}
        for kind, label in ROWS.items()
    }
    for item in session.exec(stmt):
        row = out[item.kind]
        row["from_registry"] = True
        if item.state == ItemState.WITHDRAWN.value:
            continue  # registered in error: never a document of the office
        if item.made_on.year == year:
            row["made"] += 1
        if item.expired_on is not None and item.expired_on.year == year:
            row["repealed"] += 1
        if item.made_on <= end and (item.expired_on is None or item.expired_on > end):
            row["in_force"] += 1
    return out


_FIGURE_PREFIX = {"rule": "rules", "normative": "normative"}


def registry_figures(session: Session, year: int) -> dict[str, int]:
    """Section 二's figures (workflow/admin/report_texts.py keys) for the kinds the registry holds items
    of; kinds it holds none of are left to the figures the office entered."""
    out: dict[str, int] = {}
    for kind, row in section_two(session, year).items():
        if row.get("from_registry") and kind in _FIGURE_PREFIX:
            for column in ("made", "repealed", "in_force"):
                out[f"{_FIGURE_PREFIX[kind]}.{column}"] = int(row[column])
    return out
