"""The whole annual report as one self-contained HTML page: the six sections, Table 2, Table 3 in
the official shape (merged cells) and Table 4 as one row of 15, each non-zero number opening to
the case numbers behind it. Autoescaped; the office's text is data only."""

from __future__ import annotations

from itertools import groupby

from jinja2 import Environment, select_autoescape

from workflow.admin.report_texts import SECTIONS
from workflow.reports.full import FullReport, table2_blocks, table3_grid
from workflow.reports.layout import (
    LITIGATION_HEADER,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TABLE4_RESULTS,
    TABLE4_SHORT_LABELS,
)
from workflow.reports.render import balance_lines, cutoff_text

_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif; margin: 2em auto;
       max-width: 60em; color: #222; font-size: 14pt; line-height: 1.8; }
h1 { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: normal; text-align: center; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 14pt; font-weight: normal; }
p.text { text-indent: 2em; margin: 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 10.5pt; line-height: 1.4; }
th, td { border: 1px solid #444; padding: 3px 6px; vertical-align: middle; }
th { font-weight: normal; background: #f4f4f4; }
td.n { text-align: right; min-width: 2.5em; }
details summary { cursor: pointer; color: #0645ad; }
details ol { text-align: left; margin: 0.3em 0 0 1.2em; padding: 0; font-size: 90%; }
.note { color: #555; font-size: 11pt; }
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
{% for key, heading, paragraphs in sections %}
<h2>{{ heading }}</h2>
{% if key == "other" %}<p class="text">{{ fee_sentence }}</p>{% endif %}
{% for p in paragraphs %}<p class="text">{{ p }}</p>{% endfor %}
{% if key == "proactive" %}
<table>
{% for item, columns, rows in table2 %}
<tr><th colspan="4">{{ item }}</th></tr>
{% set span = ' colspan="3"'|safe if columns|length == 1 else "" %}
<tr><th>信息内容</th>{% for c in columns %}<th{{ span }}>{{ c }}</th>{% endfor %}</tr>
{% for content, values in rows %}
<tr><td>{{ content }}</td>{% for v in values %}<td class="n"{{ span }}>{{ v }}</td>{% endfor %}</tr>
{% endfor %}{% endfor %}
</table>
{% elif key == "applications" %}
<table>
{% for row in grid %}<tr>{% for c in row %}{% if c.key %}{{ number(cells[c.key]) }}{% else -%}
<th rowspan="{{ c.rowspan }}" colspan="{{ c.colspan }}">{{ c.text }}</th>{% endif %}{% endfor %}</tr>
{% endfor %}
</table>
<p class="note">勾稽校验：通过（各列 一 + 二 = 三（七） + 四；各行六类申请人之和 = 总计）：{{ balance|join("；") }}</p>
{% elif key == "remedies" %}
<table>
<tr><th colspan="5" rowspan="2">{{ t4_first }}</th><th colspan="10">{{ litigation }}</th></tr>
<tr>{% for label in t4_later %}<th colspan="5">{{ label }}</th>{% endfor %}</tr>
<tr>{% for label in t4_results %}<th>{{ label }}</th>{% endfor %}</tr>
<tr>{% for cell in t4_cells %}{{ number(cell) }}{% endfor %}</tr>
</table>
{% endif %}
{% endfor %}
{% if notes %}<h2>说明</h2>
<ul>{% for n in notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
<p class="note">点击非零数字可展开其对应的案件编号。</p>
</body>
</html>
"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_template = _env.from_string(_HTML)


def to_html_full(report: FullReport) -> str:
    a = report.annual.check()
    _, cells = table3_grid(a)
    grid = [list(row) for _, row in groupby(sorted(cells, key=lambda c: (c.row, c.col)), key=lambda c: c.row)]
    first, *later = TABLE4_GROUPS
    return _template.render(
        title=report.title(),
        cutoff=cutoff_text(a),
        sections=[(k, t, report.text(k)) for k, t in SECTIONS.items()],
        fee_sentence=report.fee_sentence(),
        table2=table2_blocks(report),
        grid=grid,
        cells={(k, c): a.table3[k][c] for k in a.table3 for c in a.table3[k]},
        balance=balance_lines(a),
        t4_first=TABLE4_SHORT_LABELS[first],
        litigation=LITIGATION_HEADER,
        t4_later=[TABLE4_SHORT_LABELS[g] for g in later],
        t4_results=[TABLE4_RESULT_LABELS[r] for g in TABLE4_GROUPS for r in TABLE4_RESULTS],
        t4_cells=[a.table4[g][r] for g in TABLE4_GROUPS for r in TABLE4_RESULTS],
        notes=a.notes,
    )
