"""The whole annual report as a Word document in the GB/T 9704 layout: title in 2号小标宋, section
headings in 3号黑体, text in 3号仿宋 on the 22-line grid, the tables in 五号/小五号 with the
official merged cells, page numbers on the outer edge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from workflow.admin.report_texts import SECTIONS
from workflow.config import LOCAL_TZ
from workflow.letters.word import (
    BODY_FONT,
    HEI_FONT,
    KAI_FONT,
    TITLE_FONT,
    TITLE_PT,
    ParaStyle,
    add_paragraph,
    finish_docx,
    new_document,
    set_run_fonts,
)
from workflow.reports.full import FullReport, GridCell, table2_blocks, table3_grid
from workflow.reports.layout import (
    LITIGATION_HEADER,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TABLE4_RESULTS,
    TABLE4_SHORT_LABELS,
)
from workflow.reports.render import cutoff_text

TITLE = ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, font=TITLE_FONT)
HEADING = ParaStyle(indent_first=True, font=HEI_FONT, keep_next=True)
TEXT = ParaStyle(align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True)
NOTE = ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, font=KAI_FONT)


def _grid_table(
    doc: DocxDocument, rows: int, cols: int, cells: list[GridCell], size: float, widths: Sequence[float]
) -> None:
    """A table from grid cells (merged where a cell spans), numbers right-aligned."""
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, column in enumerate(table.columns):
        column.width = Mm(widths[i])  # the grid LibreOffice lays out by
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Mm(widths[i])
    for c in cells:
        target = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            target = target.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        p = target.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if c.header or c.key is None else WD_ALIGN_PARAGRAPH.RIGHT
        if c.header and c.col == 2 and c.row >= 3:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(1)
        # off the page's 22-line grid: a table line is as tall as its small type needs
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(round(size * 1.35, 1))
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        p.paragraph_format.element.get_or_add_pPr().insert(0, snap)
        set_run_fonts(p.add_run(c.text), BODY_FONT, size)


def _table2(doc: DocxDocument, report: FullReport) -> None:
    cells: list[GridCell] = []
    r = 0
    for item, columns, rows in table2_blocks(report):
        cells.append(GridCell(r, 0, item, colspan=4))
        cells.append(GridCell(r + 1, 0, "信息内容"))
        span = 4 - len(columns)
        cells += [
            GridCell(r + 1, 1 + i, col, colspan=span if len(columns) == 1 else 1) for i, col in enumerate(columns)
        ]
        for k, (content, values) in enumerate(rows):
            cells.append(GridCell(r + 2 + k, 0, content))
            cells += [
                GridCell(r + 2 + k, 1 + i, v, colspan=span if len(values) == 1 else 1, header=False, key=("t2", str(i)))
                for i, v in enumerate(values)
            ]
        r += 2 + len(rows)
    _grid_table(doc, r, 4, cells, 10.5, [45, 37, 37, 37])


def _table3(doc: DocxDocument, report: FullReport) -> None:
    _, cells = table3_grid(report.annual)
    rows = max(c.row + c.rowspan for c in cells)
    _grid_table(doc, rows, 10, cells, 9.0, [9, 17, 39] + [13] * 7)


def _table4(doc: DocxDocument, report: FullReport) -> None:
    a = report.annual
    first, *later = TABLE4_GROUPS
    n = len(TABLE4_RESULTS)
    cells = [
        GridCell(0, 0, TABLE4_SHORT_LABELS[first], rowspan=2, colspan=n),
        GridCell(0, n, LITIGATION_HEADER, colspan=n * len(later)),
        *(GridCell(1, n * (i + 1), TABLE4_SHORT_LABELS[g], colspan=n) for i, g in enumerate(later)),
    ]
    for i, g in enumerate(TABLE4_GROUPS):
        for j, r in enumerate(TABLE4_RESULTS):
            cells.append(GridCell(2, i * n + j, TABLE4_RESULT_LABELS[r]))
            cells.append(GridCell(3, i * n + j, str(a.table4[g][r].count), header=False, key=(g, r)))
    _grid_table(doc, 4, n * len(TABLE4_GROUPS), cells, 8.0, [10.4] * 15)


def to_docx_full(report: FullReport) -> bytes:
    """The report as .docx bytes (refused if Tables 3 and 4 do not reconcile)."""
    a = report.annual.check()
    doc = new_document()
    add_paragraph(doc, a.office, TITLE)
    add_paragraph(doc, f"{report.year}年政府信息公开工作年度报告", TITLE)
    add_paragraph(doc, "")
    add_paragraph(doc, cutoff_text(a), NOTE)
    for key, heading in SECTIONS.items():
        add_paragraph(doc, heading, HEADING)
        if key == "other":
            add_paragraph(doc, report.fee_sentence(), TEXT)
        for paragraph in report.text(key):
            add_paragraph(doc, paragraph, TEXT)
        if key == "proactive":
            _table2(doc, report)
        elif key == "applications":
            _table3(doc, report)
        elif key == "remedies":
            _table4(doc, report)
    if a.notes:
        add_paragraph(doc, "说明", HEADING)
        for note in a.notes:
            add_paragraph(doc, note, TEXT)
    at = datetime.combine(min(a.cutoff.astimezone(LOCAL_TZ).date(), a.cutoff.date()), time(0), LOCAL_TZ)
    return finish_docx(doc, title=report.title(), author=a.office, at=at)
