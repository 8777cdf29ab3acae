"""The annual report as an Excel workbook (openpyxl): Table 3 and Table 4 in the official layout,
each non-zero number carrying its case numbers as a cell comment, and a drill-down sheet with one
line per case behind every number."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workflow.admin.report_texts import SECTIONS
from workflow.reports.annual import AnnualReport, Cell
from workflow.reports.full import FullReport, table2_blocks, table3_grid
from workflow.reports.layout import (
    APPLICANT_COLUMNS,
    COLUMN_LABELS,
    COLUMNS,
    LITIGATION_HEADER,
    ORGANISATION_HEADER,
    RECONCILIATION_NOTE,
    TABLE3_ROWS,
    TABLE3_TITLE,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TABLE4_RESULTS,
    TABLE4_SHORT_LABELS,
    TABLE4_TITLE,
    TOTAL,
)
from workflow.reports.render import INDENT, cutoff_text, drill_items, title

SHEET3, SHEET4, SHEET_DRILL = "表三", "表四", "明细"
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
MAX_COMMENT = 30000  # Excel's limit on a comment is 32,767 characters


def _number(ws: Worksheet, row: int, col: int, cell: Cell) -> None:
    target = ws.cell(row=row, column=col, value=cell.count)
    if cell.count:
        text = "、".join(cell.cases)
        target.comment = Comment(text[:MAX_COMMENT], "ogi", width=300, height=120)


def _header(ws: Worksheet, row: int, col: int, value: str, rows: int = 1, cols: int = 1) -> None:
    ws.cell(row=row, column=col, value=value).alignment = CENTER
    if rows > 1 or cols > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)


def _table3(ws: Worksheet, report: AnnualReport) -> None:
    ws.title = SHEET3
    ws.cell(row=1, column=1, value=TABLE3_TITLE).font = BOLD
    ws.cell(row=2, column=1, value=cutoff_text(report))
    _header(ws, 3, 1, RECONCILIATION_NOTE, rows=2)
    _header(ws, 3, 2, COLUMN_LABELS[APPLICANT_COLUMNS[0]], rows=2)
    _header(ws, 3, 3, ORGANISATION_HEADER, cols=len(APPLICANT_COLUMNS) - 1)
    for i, c in enumerate(APPLICANT_COLUMNS[1:]):
        _header(ws, 4, 3 + i, COLUMN_LABELS[c])
    _header(ws, 3, 2 + len(APPLICANT_COLUMNS), COLUMN_LABELS[TOTAL], rows=2)
    for i, row in enumerate(TABLE3_ROWS):
        r = 5 + i
        ws.cell(row=r, column=1, value=(INDENT + row.label) if row.group else row.label)
        if row.data:
            for j, c in enumerate(COLUMNS):
                _number(ws, r, 2 + j, report.table3[row.key][c])
    ws.column_dimensions["A"].width = 60
    for j in range(len(COLUMNS)):
        ws.column_dimensions[get_column_letter(2 + j)].width = 12


def _table4(ws: Worksheet, report: AnnualReport) -> None:
    ws.cell(row=1, column=1, value=TABLE4_TITLE).font = BOLD
    ws.cell(row=2, column=1, value=cutoff_text(report))
    width = len(TABLE4_RESULTS)
    first, *later = TABLE4_GROUPS
    _header(ws, 3, 1, TABLE4_SHORT_LABELS[first], rows=2, cols=width)
    _header(ws, 3, 1 + width, LITIGATION_HEADER, cols=width * len(later))
    for i, g in enumerate(later):
        _header(ws, 4, 1 + width * (i + 1), TABLE4_SHORT_LABELS[g], cols=width)
    for i, g in enumerate(TABLE4_GROUPS):
        for j, r in enumerate(TABLE4_RESULTS):
            _header(ws, 5, 1 + i * width + j, TABLE4_RESULT_LABELS[r])
            _number(ws, 6, 1 + i * width + j, report.table4[g][r])


def _drill(ws: Worksheet, report: AnnualReport) -> None:
    ws.append(["表", "项目", "列", "数字", "案件编号"])
    for cell in ws[1]:
        cell.font = BOLD
    for table, row, col, cell in drill_items(report):
        for number in cell.cases:
            ws.append([table, row, col, cell.count, number])
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["E"].width = 24


def to_xlsx(report: AnnualReport) -> bytes:
    """The workbook's bytes.

    Raises:
        Refused: the report does not reconcile.
    """
    report.check()
    wb = Workbook()
    ws3 = wb.active
    assert ws3 is not None
    _table3(ws3, report)
    _table4(wb.create_sheet(SHEET4), report)
    _drill(wb.create_sheet(SHEET_DRILL), report)
    wb.properties.title = title(report)
    wb.properties.creator = "ogi-workflow"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


SHEET_TEXT = "报告正文"
WRAP = Alignment(wrap_text=True, vertical="top")


def _text_sheet(ws: Worksheet, report: FullReport) -> None:
    """The six sections in order: each heading, the office's paragraphs, Table 2 under 二 and the
    fees sentence under 六 (Tables 3 and 4 are on their own sheets)."""

    ws.title = SHEET_TEXT
    ws.append([report.title()])
    ws["A1"].font = BOLD
    ws.append([cutoff_text(report.annual)])
    for key, heading in SECTIONS.items():
        ws.append([heading])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        if key == "other":
            ws.append([report.fee_sentence()])
        for paragraph in report.text(key):
            ws.append([paragraph])
            ws.cell(row=ws.max_row, column=1).alignment = WRAP
        if key == "proactive":
            for item, columns, rows in table2_blocks(report):
                ws.append([item])
                ws.append(["信息内容", *columns])
                for content, values in rows:
                    ws.append([content, *(int(v) if v.isdigit() else v for v in values)])
        elif key in ("applications", "remedies"):
            ws.append([f"见“{SHEET3 if key == 'applications' else SHEET4}”工作表"])
    ws.column_dimensions["A"].width = 90


def _table3_official(ws: Worksheet, report: AnnualReport) -> None:
    """Table 3 in the official shape: merged header and group cells, 25 data rows."""
    ws.title = SHEET3
    ws.cell(row=1, column=1, value=TABLE3_TITLE).font = BOLD
    ws.cell(row=2, column=1, value=cutoff_text(report))
    for c in table3_grid(report)[1]:
        r, col = 3 + c.row, 1 + c.col
        if c.key is not None:
            _number(ws, r, col, report.table3[c.key[0]][c.key[1]])
        else:
            _header(ws, r, col, c.text, rows=c.rowspan, cols=c.colspan)
    for letter, width in (("A", 8), ("B", 16), ("C", 44)):
        ws.column_dimensions[letter].width = width


def to_xlsx_full(report: FullReport) -> bytes:
    """The whole report as a workbook: the text with Table 2, Table 3, Table 4 and the drill-down.

    Raises:
        Refused: Tables 3 and 4 do not reconcile.
    """
    annual = report.annual.check()
    wb = Workbook()
    first = wb.active
    assert first is not None
    _text_sheet(first, report)
    _table3_official(wb.create_sheet(SHEET3), annual)
    _table4(wb.create_sheet(SHEET4), annual)
    _drill(wb.create_sheet(SHEET_DRILL), annual)
    wb.properties.title = report.title()
    wb.properties.creator = annual.office
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
