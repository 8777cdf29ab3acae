"""The report's outputs (Markdown, HTML, JSON, Excel, SVG) and the office statistics, from facts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, time
from io import BytesIO

import pytest
from openpyxl import load_workbook

from workflow.config import LOCAL_TZ
from workflow.errors import Refused
from workflow.reports.annual import AnnualReport, Cell, compute_annual
from workflow.reports.chart import monthly_chart
from workflow.reports.excel import SHEET3, SHEET4, SHEET_DRILL, to_xlsx
from workflow.reports.facts import CaseFacts, Filing, year_end
from workflow.reports.render import to_html, to_json, to_markdown
from workflow.reports.stats import StatsFacts, compute_stats

D = date.fromisoformat


def fact(cid: int, number: str, kind: str, booked: str, handled: str | None = None, row: str | None = None):
    return CaseFacts(cid, number, kind, D(booked), D(booked), D(handled) if handled else None, row)


def sample(office: str = "示例市人民政府办公室") -> AnnualReport:
    facts = [
        fact(1, "依申〔2026〕1号", "natural_person", "2026-02-01", "2026-02-10", "disclosed"),
        fact(2, "依申〔2026〕2号", "commercial_enterprise", "2026-03-01"),
        fact(3, "依申〔2025〕9号", "natural_person", "2025-12-29", "2026-01-06", "other.unpaid"),
        fact(4, "依申〔2026〕4号", "natural_person", "2026-04-01", "2026-04-09", "withheld.state_secret"),
    ]
    items = [Filing(4, "依申〔2026〕4号", "reconsideration", 40, D("2026-05-01"), D("2026-05-01"))]
    return compute_annual(2026, year_end(2026), office, facts, items).check()


def test_markdown_has_both_tables_the_labels_and_the_drill_down():
    md = to_markdown(sample())
    for label in (
        "本年新收",
        "上年结转",
        "予以公开",
        "部分公开",
        "国家秘密",
        "不掌握",
        "信访",
        "重复申请",
        "总计",
        "结转下年度",
    ):
        assert label in md, label
    assert "| 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |" in md
    assert "| 一、本年新收政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |" in md
    assert "| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in md
    assert "| （七）总计 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |" in md
    assert "| 四、结转下年度继续办理 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |" in md
    assert "| 行政复议 | 0 | 0 | 0 | 1 | 1 |" in md
    assert "- 总计：3 + 1 = 3 + 1" in md
    assert "表三「（三）不予公开 1.属于国家秘密」×「自然人」1件：依申〔2026〕4号" in md


def test_json_gives_every_cell_its_count_and_cases():
    data = json.loads(to_json(sample()))
    rows = {r["key"]: r for r in data["table3"]}
    assert rows["carried_over"]["cells"]["natural_person"] == {"count": 1, "cases": ["依申〔2025〕9号"]}
    assert rows["other.unpaid"]["cells"]["total"]["count"] == 1
    assert data["table4"][0]["cells"]["pending"] == {"count": 1, "cases": ["依申〔2026〕4号"]}
    assert data["reconciled"] is True and data["final"] is True and data["cutoff"] == "2026-12-31T15:59:59.999999Z"
    assert to_json(sample()) == to_json(sample())  # deterministic


def test_html_is_self_contained_escaped_and_drills_down():
    page = to_html(sample(office='<script>alert("x")</script>办公室'))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "src=" not in page
    assert 'title="依申〔2026〕1号、依申〔2026〕4号' in page  # 予以公开 + 国家秘密 … the 总计 of 一
    assert "<summary>3</summary>" in page and "<li>依申〔2025〕9号</li>" in page


def test_xlsx_reopens_with_both_tables_totals_and_drill_down():
    wb = load_workbook(BytesIO(to_xlsx(sample())))
    assert wb.sheetnames == [SHEET3, SHEET4, SHEET_DRILL]
    rows = {r[0]: r[1:] for r in wb[SHEET3].iter_rows(min_row=5, values_only=True)}
    assert rows["一、本年新收政府信息公开申请数量"] == (2, 1, 0, 0, 0, 0, 3)
    assert rows["（七）总计"] == (3, 0, 0, 0, 0, 0, 3)
    assert rows["四、结转下年度继续办理"][-1] == 1
    assert rows["三、本年度办理结果"] == (None,) * 7
    assert wb[SHEET3]["H5"].comment is not None and "依申〔2026〕2号" in wb[SHEET3]["H5"].comment.text
    t4 = list(wb[SHEET4].iter_rows(min_row=3, values_only=True))
    assert t4[0][0] == "行政复议" and t4[0][5] == "行政诉讼" and t4[1][5] == "未经复议直接起诉"
    assert t4[3] == (0, 0, 0, 1, 1) + (0,) * 10
    drill = list(wb[SHEET_DRILL].iter_rows(values_only=True))
    assert drill[0] == ("表", "项目", "列", "数字", "案件编号")
    assert ("表四", "行政复议", "尚未审结", 1, "依申〔2026〕4号") in drill


def test_every_output_refuses_a_report_that_does_not_reconcile():
    report = sample()
    report.table3["carried_forward"]["total"] = Cell(0, [])
    for render in (to_markdown, to_html, to_json, to_xlsx):
        with pytest.raises(Refused, match="结转下年度继续办理」行「总计」列"):
            render(report)


def moment(day: str) -> datetime:
    return datetime.combine(D(day), time(10), LOCAL_TZ)


def test_office_statistics_per_department_and_handler():
    facts = [
        StatsFacts(1, "A1", "一科", "h1", D("2026-01-05"), D("2026-01-20"), D("2026-02-02"), 10, D("2026-01-20")),
        StatsFacts(2, "A2", "一科", "h1", D("2026-01-06"), D("2026-02-10"), D("2026-02-03"), 24, D("2026-02-10"),
                   extensions=(D("2026-01-30"),), fees_paid=((D("2026-01-25"), 300),)),
        StatsFacts(3, "A3", None, "h2", D("2026-02-06"), D("2026-02-12"), D("2026-03-06"), 4, D("2026-02-12")),
        StatsFacts(4, "A4", None, None, D("2026-02-20"), open_due=D("2026-03-20")),  # open, overdue at 4/1
        StatsFacts(5, "A5", "一科", "h1", D("2025-12-01"), D("2025-12-20"), D("2025-12-29"), 14, D("2025-12-20"),
                   fees_paid=((D("2025-12-10"), 100),)),  # last year: not in 2026's numbers
    ]  # fmt: skip
    stats = compute_stats(2026, moment("2026-04-01"), facts)
    o = stats.overall
    assert (o.intake, o.answered, o.on_time, o.late, o.overdue_open, o.extensions, o.fee_income) == (
        4,
        3,
        2,
        1,
        1,
        1,
        300,
    )
    assert o.median_workdays == 10 and o.on_time_rate == pytest.approx(2 / 3)
    deps = {g.name: g for g in stats.departments}
    assert list(deps) == ["一科", "未分配"]
    assert (deps["一科"].answered, deps["一科"].on_time, deps["一科"].median_workdays) == (2, 1, 17)
    handlers = {g.name: g.as_dict() for g in stats.handlers}
    assert handlers["未分配"]["open_overdue"] == 1 and handlers["h2"]["on_time_rate"] == 1.0
    months = [(m.intake, m.answered, m.on_time) for m in stats.months[:3]]
    assert months == [(2, 1, 1), (2, 2, 1), (0, 0, 0)]
    assert stats.as_dict()["months"][1]["on_time_rate"] == 0.5


def test_the_chart_is_valid_svg_with_chinese_axis_labels():
    facts = [
        StatsFacts(i, f"A{i}", None, None, D(f"2026-{m:02d}-10"), D(f"2026-{m:02d}-20"), D(f"2026-{m:02d}-{d}"))
        for i, (m, d) in enumerate([(1, 25), (1, 15), (3, 25), (7, 25), (7, 25), (7, 25)])
    ]
    svg = monthly_chart(compute_stats(2026, moment("2026-12-01"), facts))
    root = ET.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    texts = [t.text for t in root.iter(f"{ns}text")]
    for label in ("收件量（件）", "按时答复率（%）", "1月", "12月", "2026年每月收件量与按时答复率"):
        assert label in texts, label
    assert len([r for r in root.iter(f"{ns}rect") if r.get("fill") == "#4e79a7"]) == 12 + 1  # bars + legend
    assert len(list(root.iter(f"{ns}circle"))) == 3  # months with answers: Jan, Mar, Jul
    assert len(list(root.iter(f"{ns}polyline"))) == 1
