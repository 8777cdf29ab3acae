"""The whole annual report in the national format (国办公开办函〔2021〕30号): six sections, the
office's own text for each, section 二's table, Tables 3 and 4 from the ledger, and the fees
collected (from the fee records) in section 六. Also the official shape of Table 3 (申请人情况
header, merged group cells, 25 data rows) as a grid every format draws from, and the Markdown and
JSON forms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workflow.admin.report_texts import FIGURE_ROWS, SECTIONS, load_texts, section_two
from workflow.config import Settings
from workflow.db import reading
from workflow.reports.annual import AnnualReport
from workflow.reports.layout import (
    APPLICANT_COLUMNS,
    CARRIED_FORWARD,
    CARRIED_OVER,
    COLUMN_LABELS,
    COLUMNS,
    NEW,
    ORGANISATION_HEADER,
    RECONCILIATION_NOTE,
    TABLE3_ROWS,
    TABLE4_GROUP_LABELS,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TABLE4_RESULTS,
)
from workflow.reports.ledger import annual_report
from workflow.reports.render import balance_lines, cutoff_text, drill_items
from workflow.reports.stats import office_stats

# The six sections of the national format, in order (the labels the official list gives).
SECTION_TITLES: tuple[str, ...] = tuple(SECTIONS.values())
APPLICANT_HEADER = "申请人情况"
RESULTS_LABEL = next(r.label for r in TABLE3_ROWS if r.key == "results")
EMPTY_TEXT = "（本部分内容由本机关填写，尚未填写。）"
LABEL_COLUMNS = 3


@dataclass
class FullReport:
    annual: AnnualReport
    texts: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int | str | None] = field(default_factory=dict)
    figure_sources: dict[str, str] = field(default_factory=dict)
    fees_yuan: int = 0

    @property
    def year(self) -> int:
        return self.annual.year

    def title(self) -> str:
        return f"{self.annual.office}{self.year}年政府信息公开工作年度报告"

    def text(self, section: str) -> list[str]:
        """The office's paragraphs for a section (one per line), or the placeholder."""
        paragraphs = [p.strip() for p in self.texts.get(section, "").splitlines() if p.strip()]
        return paragraphs or ([] if section in ("applications", "remedies") else [EMPTY_TEXT])

    def fee_sentence(self) -> str:
        if not self.fees_yuan:
            return f"{self.year}年度，本机关未收取政府信息公开信息处理费。"
        return (
            f"{self.year}年度，本机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
            f"收取政府信息公开信息处理费共计{self.fees_yuan:,}元。"
        )


def full_report(settings: Settings, year: int, as_of: datetime | None = None) -> FullReport:
    """The whole report of `year` (reconciled Tables 3 and 4; see `annual_report`)."""

    moment = as_of or settings.now()
    annual = annual_report(settings, year, moment)
    fees = office_stats(settings, year, moment).overall.fee_income
    with reading(settings) as session:
        texts = load_texts(session, year)
        figures, sources = section_two(session, year)
    return FullReport(annual, texts, figures, sources, fees)


# --- Table 2 (section 二) --------------------------------------------------------------------------


def table2_blocks(report: FullReport) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """(article item, value column labels, [(content, values)]) in the official order."""
    blocks: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = []
    for key, item, content, column in FIGURE_ROWS:
        if not blocks or blocks[-1][0] != item:
            blocks.append((item, [], []))
        _, columns, rows = blocks[-1]
        if column not in columns:
            columns.append(column)
        if not rows or rows[-1][0] != content:
            rows.append((content, []))
        value = report.figures.get(key)
        rows[-1][1].append("" if value is None else str(value))
    return blocks


# --- Table 3 in the official shape ----------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = True
    key: tuple[str, str] | None = None  # (row key, column key) of a number


def table3_grid(report: AnnualReport) -> tuple[int, list[GridCell]]:
    """Table 3 as the official table draws it: 3 header rows, then 25 data rows; 3 label columns
    (section, group, item) merged where the official table merges them, then 7 numbers. Returns
    (header row count, cells)."""
    cells = [
        GridCell(0, 0, RECONCILIATION_NOTE, rowspan=3, colspan=LABEL_COLUMNS),
        GridCell(0, 3, APPLICANT_HEADER, colspan=len(COLUMNS)),
        GridCell(1, 3, COLUMN_LABELS[APPLICANT_COLUMNS[0]], rowspan=2),
        GridCell(1, 4, ORGANISATION_HEADER, colspan=len(APPLICANT_COLUMNS) - 1),
        GridCell(1, 3 + len(APPLICANT_COLUMNS), COLUMN_LABELS["total"], rowspan=2),
        *(GridCell(2, 4 + i, COLUMN_LABELS[c]) for i, c in enumerate(APPLICANT_COLUMNS[1:])),
    ]
    data = [r for r in TABLE3_ROWS if r.data]
    outside = (NEW, CARRIED_OVER, CARRIED_FORWARD)
    results = [r for r in data if r.key not in outside]
    for i, row in enumerate(data):
        r = 3 + i
        if row.key in outside:
            cells.append(GridCell(r, 0, row.label, colspan=LABEL_COLUMNS))
        else:
            if row is results[0]:
                cells.append(GridCell(r, 0, RESULTS_LABEL, rowspan=len(results)))
            if row.group:
                members = [x for x in data if x.group == row.group]
                if row is members[0]:
                    cells.append(GridCell(r, 1, row.group, rowspan=len(members)))
                cells.append(GridCell(r, 2, row.label))
            else:
                cells.append(GridCell(r, 1, row.label, colspan=2))
        for j, c in enumerate(COLUMNS):
            cell = report.table3[row.key][c]
            cells.append(GridCell(r, LABEL_COLUMNS + j, str(cell.count), header=False, key=(row.key, c)))
    return 3, cells


def table4_header() -> list[str]:
    """The 15 columns of Table 4, each named with its group: 行政复议·结果维持 … 复议后起诉·总计."""
    return [f"{TABLE4_GROUP_LABELS[g]}·{TABLE4_RESULT_LABELS[r]}" for g in TABLE4_GROUPS for r in TABLE4_RESULTS]


def table4_row(report: AnnualReport) -> list[int]:
    return [report.table4[g][r].count for g in TABLE4_GROUPS for r in TABLE4_RESULTS]


# --- Markdown and JSON ----------------------------------------------------------------------------


def _md_table2(report: FullReport) -> list[str]:
    lines = ["| 项目 | 信息内容 | 数据项 | 数量 |", "|---|---|---|---:|"]
    for item, columns, rows in table2_blocks(report):
        for content, values in rows:
            for column, value in zip(columns, values, strict=True):
                lines.append(f"| {item} | {content} | {column} | {value or '—'} |")
    return lines


def _md_table3(report: AnnualReport) -> list[str]:
    lines = [
        f"| {APPLICANT_HEADER} | " + " | ".join(COLUMN_LABELS[c] for c in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    for row in TABLE3_ROWS:
        if row.data:
            label = f"{row.group} {row.label}" if row.group else row.label
            cells = " | ".join(str(report.table3[row.key][c].count) for c in COLUMNS)
            lines.append(f"| {label} | {cells} |")
    return lines


def to_markdown_full(report: FullReport) -> str:
    """The whole report; Table 3's 25 data rows, Table 4 as one row of 15."""
    a = report.annual.check()
    out = [f"# {report.title()}", "", cutoff_text(a), ""]
    for key, heading in SECTIONS.items():
        out += [f"## {heading}", ""]
        if key == "other":
            out += [report.fee_sentence(), ""]
        out += [p for para in report.text(key) for p in (para, "")]
        if key == "proactive":
            out += [*_md_table2(report), ""]
        elif key == "applications":
            out += [RECONCILIATION_NOTE, "", *_md_table3(a), ""]
            out += ["勾稽校验：通过（各列 一 + 二 = 三（七） + 四；各行六类申请人之和 = 总计）", ""]
            out += [f"- {line}" for line in balance_lines(a)] + [""]
        elif key == "remedies":
            out += ["| " + " | ".join(table4_header()) + " |", "|" + "---:|" * len(table4_header())]
            out += ["| " + " | ".join(str(n) for n in table4_row(a)) + " |", ""]
    if a.notes:
        out += ["## 说明", ""] + [f"- {n}" for n in a.notes] + [""]
    out += ["## 明细（各项数字对应的案件编号）", ""]
    drill = [f"- {t}「{row}」×「{col}」{cell.count}件：{'、'.join(cell.cases)}" for t, row, col, cell in drill_items(a)]
    out += drill or ["（本年度无案件）"]
    return "\n".join(out) + "\n"


def as_dict(report: FullReport) -> dict[str, Any]:
    a = report.annual.check()
    sections = [{"key": k, "title": t, "paragraphs": report.text(k)} for k, t in SECTIONS.items()]
    return {
        "title": report.title(),
        "sections": sections,
        "table2": [
            {
                "key": key,
                "item": item,
                "content": content,
                "column": column,
                "value": report.figures.get(key),
                "source": report.figure_sources.get(key),
            }
            for key, item, content, column in FIGURE_ROWS
        ],
        "fees_collected_yuan": report.fees_yuan,
        "fee_sentence": report.fee_sentence(),
        "table4_header": table4_header(),
        "table4_row": table4_row(a),
        **a.as_dict(),
    }


def to_json_full(report: FullReport) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"
