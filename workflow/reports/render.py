"""The annual report as Markdown (for people at a terminal), HTML (a self-contained page with the
drill-down) and JSON (for machines). Each refuses a report that does not reconcile."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader

from workflow.config import LOCAL_TZ
from workflow.reports.annual import AnnualReport, Cell
from workflow.reports.layout import (
    APPLICANT_COLUMNS,
    CARRIED_FORWARD,
    CARRIED_OVER,
    COLUMN_LABELS,
    COLUMNS,
    HANDLED_TOTAL,
    LITIGATION_HEADER,
    NEW,
    ORGANISATION_HEADER,
    RECONCILIATION_NOTE,
    ROWS_BY_KEY,
    TABLE3_ROWS,
    TABLE3_TITLE,
    TABLE4_GROUP_LABELS,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TABLE4_RESULTS,
    TABLE4_SHORT_LABELS,
    TABLE4_TITLE,
    TOTAL,
)

INDENT = "　"


def cutoff_text(report: AnnualReport) -> str:
    local = report.cutoff.astimezone(LOCAL_TZ)
    if report.final:
        return f"数据截至 {report.year}年12月31日24时（北京时间），年度已结束，报告不再变化"
    return f"数据截至 {local:%Y年%m月%d日%H时%M分}（北京时间），年度尚未结束，为阶段性数据"


def title(report: AnnualReport) -> str:
    return f"{report.office}{report.year}年政府信息公开工作年度报告（依申请公开部分）"


def balance_lines(report: AnnualReport) -> list[str]:
    """一 + 二 = 三（七） + 四 for every column, as printed under Table 3."""
    t = report.table3
    return [
        f"{COLUMN_LABELS[c]}：{t[NEW][c].count} + {t[CARRIED_OVER][c].count} = "
        f"{t[HANDLED_TOTAL][c].count} + {t[CARRIED_FORWARD][c].count}"
        for c in COLUMNS
    ]


def _label(key: str) -> str:
    row = ROWS_BY_KEY[key]
    return INDENT + row.label if row.group else row.label


def to_markdown(report: AnnualReport) -> str:
    report.check()
    lines = [f"# {title(report)}", "", cutoff_text(report), "", f"## {TABLE3_TITLE}", "", RECONCILIATION_NOTE, ""]
    lines.append("| 项目 | " + " | ".join(COLUMN_LABELS[c] for c in COLUMNS) + " |")
    lines.append("|---|" + "---:|" * len(COLUMNS))
    for row in TABLE3_ROWS:
        cells = [str(report.table3[row.key][c].count) if row.data else "" for c in COLUMNS]
        lines.append(f"| {_label(row.key)} | " + " | ".join(cells) + " |")
    lines += ["", "勾稽校验：通过（各列 一 + 二 = 三（七） + 四；各行六类申请人之和 = 总计）", ""]
    lines += [f"- {line}" for line in balance_lines(report)]
    lines += ["", f"## {TABLE4_TITLE}", ""]
    lines.append("| 类别 | " + " | ".join(TABLE4_RESULT_LABELS[r] for r in TABLE4_RESULTS) + " |")
    lines.append("|---|" + "---:|" * len(TABLE4_RESULTS))
    for g in TABLE4_GROUPS:
        lines.append(
            f"| {TABLE4_GROUP_LABELS[g]} | " + " | ".join(str(report.table4[g][r].count) for r in TABLE4_RESULTS) + " |"
        )
    if report.notes:
        lines += ["", "## 说明", ""] + [f"- {n}" for n in report.notes]
    lines += ["", "## 明细（各项数字对应的案件编号）", ""]
    drill = _drill_lines(report)
    lines += drill or ["（本年度无案件）"]
    return "\n".join(lines) + "\n"


def drill_items(report: AnnualReport) -> list[tuple[str, str, str, Cell]]:
    """(table, row label, column label, cell) for every non-zero cell, in table order."""
    out = []
    for row in TABLE3_ROWS:
        if row.data:
            for c in COLUMNS:
                cell = report.table3[row.key][c]
                if cell.count:
                    out.append(("表三", row.full_label, COLUMN_LABELS[c], cell))
    for g in TABLE4_GROUPS:
        for r in TABLE4_RESULTS:
            cell = report.table4[g][r]
            if cell.count:
                out.append(("表四", TABLE4_GROUP_LABELS[g], TABLE4_RESULT_LABELS[r], cell))
    return out


def _drill_lines(report: AnnualReport) -> list[str]:
    return [
        f"- {t}「{row}」×「{col}」{cell.count}件：{'、'.join(cell.cases)}" for t, row, col, cell in drill_items(report)
    ]


def to_json(report: AnnualReport) -> str:
    report.check()
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


# The report pages are Jinja files beside this module (templates/), sharing one frame.
ENV = Environment(loader=PackageLoader("workflow.reports", "templates"), autoescape=True)


def table4_context(report: AnnualReport) -> dict[str, Any]:
    """Table 4 as both pages draw it: one row of 15 under the reconsideration and litigation heads."""
    first, *later = TABLE4_GROUPS
    return {
        "first": TABLE4_SHORT_LABELS[first],
        "litigation": LITIGATION_HEADER,
        "later": [TABLE4_SHORT_LABELS[g] for g in later],
        "results": [TABLE4_RESULT_LABELS[r] for g in TABLE4_GROUPS for r in TABLE4_RESULTS],
        "cells": [report.table4[g][r] for g in TABLE4_GROUPS for r in TABLE4_RESULTS],
    }


def to_html(report: AnnualReport) -> str:
    report.check()
    rows = [
        {
            "label": row.label,
            "sub": bool(row.group),
            "data": row.data,
            "cells": [report.table3[row.key][c] if row.data else None for c in COLUMNS],
        }
        for row in TABLE3_ROWS
    ]
    return ENV.get_template("annual.html.j2").render(
        title=title(report),
        cutoff=cutoff_text(report),
        t3_title=TABLE3_TITLE,
        note=RECONCILIATION_NOTE,
        person=COLUMN_LABELS[APPLICANT_COLUMNS[0]],
        org_header=ORGANISATION_HEADER,
        org_labels=[COLUMN_LABELS[c] for c in APPLICANT_COLUMNS[1:]],
        total=COLUMN_LABELS[TOTAL],
        rows=rows,
        balance=balance_lines(report),
        t4_title=TABLE4_TITLE,
        t4=table4_context(report),
        notes=report.notes,
    )
