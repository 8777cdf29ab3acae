"""The whole annual report as one self-contained HTML page: the six sections, Table 2, Table 3 in
the official shape (merged cells) and Table 4 as one row of 15, each non-zero number opening to
the case numbers behind it. Autoescaped; the office's text is data only."""

from __future__ import annotations

from itertools import groupby

from workflow.admin.report_texts import SECTIONS
from workflow.reports.full import FullReport, table2_blocks, table3_grid
from workflow.reports.render import ENV, balance_lines, cutoff_text, table4_context


def to_html_full(report: FullReport) -> str:
    a = report.annual.check()
    _, cells = table3_grid(a)
    grid = [list(row) for _, row in groupby(sorted(cells, key=lambda c: (c.row, c.col)), key=lambda c: c.row)]
    return ENV.get_template("annual_full.html.j2").render(
        title=report.title(),
        cutoff=cutoff_text(a),
        sections=[(k, t, report.text(k)) for k, t in SECTIONS.items()],
        fee_sentence=report.fee_sentence(),
        table2=table2_blocks(report),
        grid=grid,
        cells={(k, c): a.table3[k][c] for k in a.table3 for c in a.table3[k]},
        balance=balance_lines(a),
        t4=table4_context(a),
        notes=a.notes,
    )
