"""The annual report as Markdown (for people at a terminal), HTML (a self-contained page with the
drill-down) and JSON (for machines). Each refuses a report that does not reconcile."""

from __future__ import annotations

import json

from jinja2 import Environment, select_autoescape

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


_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #888; padding: 4px 8px; vertical-align: top; }
th { background: #f0f0f0; font-weight: normal; }
td.n { text-align: right; min-width: 3em; }
td.label { text-align: left; }
td.sub { padding-left: 2em; }
tr.heading td { background: #fafafa; }
details summary { cursor: pointer; color: #0645ad; }
details ol { text-align: left; margin: 0.3em 0 0 1.2em; padding: 0; font-size: 90%; }
.note { color: #555; }
</style>
</head>
<body>
{% macro number(cell) -%}
{% if cell.count %}<td class="n" title="{{ cell.cases|join('、') }}"><details><summary>{{ cell.count }}</summary>
<ol>{% for n in cell.cases %}<li>{{ n }}</li>{% endfor %}</ol></details></td>
{%- else %}<td class="n">0</td>{% endif %}
{%- endmacro %}
<h1>{{ title }}</h1>
<p class="note">{{ cutoff }}</p>
<h2>{{ t3_title }}</h2>
<table>
<thead>
<tr><th rowspan="2" colspan="2">{{ note }}</th><th rowspan="2">{{ person }}</th>
<th colspan="5">{{ org_header }}</th><th rowspan="2">{{ total }}</th></tr>
<tr>{% for label in org_labels %}<th>{{ label }}</th>{% endfor %}</tr>
</thead>
<tbody>
{% for row in rows %}<tr{% if not row.data %} class="heading"{% endif %}>
<td class="label{% if row.sub %} sub{% endif %}" colspan="2">{{ row.label }}</td>
{% for cell in row.cells %}{% if cell is none %}<td></td>{% else %}{{ number(cell) }}{% endif %}{% endfor %}
</tr>
{% endfor %}</tbody>
</table>
<p>勾稽校验：通过（各列 一 + 二 = 三（七） + 四；各行六类申请人之和 = 总计）</p>
<ul>{% for line in balance %}<li>{{ line }}</li>{% endfor %}</ul>
<h2>{{ t4_title }}</h2>
<table>
<thead>
<tr><th colspan="5" rowspan="2">{{ t4_first }}</th><th colspan="10">{{ litigation }}</th></tr>
<tr>{% for label in t4_later %}<th colspan="5">{{ label }}</th>{% endfor %}</tr>
<tr>{% for label in t4_results %}<th>{{ label }}</th>{% endfor %}</tr>
</thead>
<tbody>
<tr>{% for cell in t4_cells %}{{ number(cell) }}{% endfor %}</tr>
</tbody>
</table>
{% if notes %}<h2>说明</h2>
<ul>{% for n in notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
<p class="note">点击非零数字可展开其对应的案件编号。</p>
</body>
</html>
"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_template = _env.from_string(_HTML)


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
    first, *later = TABLE4_GROUPS
    return _template.render(
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
        t4_first=TABLE4_SHORT_LABELS[first],
        litigation=LITIGATION_HEADER,
        t4_later=[TABLE4_SHORT_LABELS[g] for g in later],
        t4_results=[TABLE4_RESULT_LABELS[r] for g in TABLE4_GROUPS for r in TABLE4_RESULTS],
        t4_cells=[report.table4[g][r] for g in TABLE4_GROUPS for r in TABLE4_RESULTS],
        notes=report.notes,
    )
