"""The whole annual report from facts: its labels equal the official list (six sections, Table 2,
Table 3's 25 data rows under the 申请人情况 header with merged group cells, Table 4's 15 columns),
in every format."""

from __future__ import annotations

import io
import json

from docx import Document
from openpyxl import load_workbook

from tests.unit.test_report_outputs import sample
from workflow.reports.full import (
    APPLICANT_HEADER,
    SECTION_TITLES,
    FullReport,
    table3_grid,
    table4_header,
    table4_row,
    to_json_full,
    to_markdown_full,
)
from workflow.reports.full_html import to_html_full
from workflow.reports.word import to_docx_full

# 国办公开办函〔2021〕30号 as law-reference.md §3 reconstructs it.
OFFICIAL_SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
OFFICIAL_ROWS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
OFFICIAL_GROUPS = ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]
OFFICIAL_TABLE4 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
OFFICIAL_TABLE2 = ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]


def full(**kw) -> FullReport:
    texts = {"overview": "第一段。\n第二段。", "problems": "问题与改进。", "other": "无。"}
    figures = {"normative.made": 12, "fees.amount": "1.25"}
    return FullReport(sample(), kw.get("texts", texts), kw.get("figures", figures), {}, kw.get("fees", 2300))


def test_the_six_sections_are_the_official_ones():
    assert list(SECTION_TITLES) == OFFICIAL_SECTIONS


def test_table3_grid_has_the_official_shape():
    header_rows, cells = table3_grid(sample())
    headers = [c for c in cells if c.header]
    labels = [c.text for c in headers if c.row >= header_rows and c.col == 2 or (c.colspan >= 2 and c.row >= 3)]
    assert labels == OFFICIAL_ROWS
    assert [c.text for c in headers if c.rowspan > 1 and c.row >= header_rows] == OFFICIAL_GROUPS
    top = {c.text: c for c in headers if c.row < header_rows}
    assert top[APPLICANT_HEADER].colspan == 7 and top["法人或其他组织"].colspan == 5
    assert top["自然人"].rowspan == 2 and top["总计"].rowspan == 2
    assert max(c.row for c in cells) - header_rows + 1 == 25
    assert next(c for c in headers if c.text == "三、本年度办理结果").rowspan == 22
    assert len([c for c in cells if c.key]) == 25 * 7


def test_table4_is_one_row_of_fifteen_in_every_format():
    r = full()
    assert len(table4_header()) == len(table4_row(r.annual)) == 15
    assert [h.split("·")[1] for h in table4_header()] == OFFICIAL_TABLE4 * 3
    md = to_markdown_full(r)
    rows = [line for line in md.splitlines() if line.startswith("| 0 | 0 | 0 | 1 | 1 |")]
    assert rows == ["| 0 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"]
    data = json.loads(to_json_full(r))
    assert data["table4_row"] == [0, 0, 0, 1, 1] + [0] * 10 and len(data["table4_header"]) == 15


def test_markdown_has_every_section_in_order_the_texts_the_fees_and_table2():
    md = to_markdown_full(full())
    positions = [md.index(f"## {t}") for t in OFFICIAL_SECTIONS]
    assert positions == sorted(positions)
    assert "第一段。\n\n第二段。" in md and "问题与改进。" in md
    assert "收取政府信息公开信息处理费共计2,300元" in md
    assert "| 第二十条第（一）项 | 行政规范性文件 | 本年制发件数 | 12 |" in md
    assert "| 第二十条第（八）项 | 行政事业性收费 | 本年收费金额（单位：万元） | 1.25 |" in md
    assert "| 申请人情况 | 自然人 |" in md
    assert md.count("\n| （三）不予公开 ") == 8
    assert "（本部分内容由本机关填写，尚未填写。）" in md  # section 二 has no text yet
    no_fees = to_markdown_full(full(fees=0))
    assert "本机关未收取政府信息公开信息处理费" in no_fees


def test_html_draws_the_merged_cells_and_escapes_office_text():
    html = to_html_full(full(texts={"overview": "<script>x</script>"}))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert f'colspan="7">{APPLICANT_HEADER}</th>' in html
    assert 'rowspan="22" colspan="1">三、本年度办理结果</th>' in html
    for title in OFFICIAL_SECTIONS + OFFICIAL_TABLE2:
        assert title in html


def test_docx_and_xlsx_carry_the_six_sections_and_the_official_tables():
    from workflow.reports.excel import SHEET3, SHEET_TEXT, to_xlsx_full

    r = full()
    doc = Document(io.BytesIO(to_docx_full(r)))
    text = [p.text for p in doc.paragraphs]
    assert [t for t in text if t in OFFICIAL_SECTIONS] == OFFICIAL_SECTIONS
    assert len(doc.tables) == 3
    t3 = doc.tables[1]
    assert len(t3.rows) == 3 + 25 and t3.cell(0, 3).text == APPLICANT_HEADER
    assert t3.cell(7, 1).text == "（三）不予公开" and t3.cell(7, 2).text == "1.属于国家秘密"
    assert t3.cell(8, 1).text == "（三）不予公开"  # merged down the group
    assert len(doc.tables[2].rows[-1].cells) == 15
    wb = load_workbook(io.BytesIO(to_xlsx_full(r)))
    assert wb.sheetnames[:2] == [SHEET_TEXT, SHEET3]
    body = [row[0] for row in wb[SHEET_TEXT].iter_rows(values_only=True)]
    assert [t for t in body if t in OFFICIAL_SECTIONS] == OFFICIAL_SECTIONS
    ws = wb[SHEET3]
    assert ws["D3"].value == APPLICANT_HEADER and any(str(m) == "D3:J3" for m in ws.merged_cells.ranges)
