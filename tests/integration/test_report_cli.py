"""`ogi report annual|stats` and `ogi case remedy` on the demo data, through the Typer commands
(as cli/main.py registers them), in every output format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import context
from cli.report_cmd import remedy_cmd, report_app
from tests.factories import at
from workflow.demo import seed
from workflow.errors import InvalidInput, Refused

LABELS = (
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
)


def make_app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(report_app, name="report")
    case_app = typer.Typer()
    case_app.command("remedy")(remedy_cmd)
    app.add_typer(case_app, name="case")
    return app


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo seeded once (as `ogi demo` in November 2026) for every test here."""
    from workflow.config import Settings
    from workflow.db import dispose_engines
    from workflow.schema import upgrade

    path = tmp_path_factory.mktemp("demo") / "ogi.db"
    s = Settings(database_url=f"sqlite:///{path}")
    upgrade(s)
    seed(at(s, "2026-11-20"))
    dispose_engines()
    return path


@pytest.fixture
def ogi(demo_db, tmp_path, monkeypatch):
    copy = tmp_path / "ogi.db"
    copy.write_bytes(demo_db.read_bytes())
    monkeypatch.setenv("OGI_DATABASE_URL", f"sqlite:///{copy}")
    app = make_app()

    def run(*args: str, now: str = "2027-01-20", ok: bool = True):
        monkeypatch.setenv("OGI_NOW", f"{now}T10:00:00+08:00")
        context.settings.cache_clear()
        result = CliRunner().invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, (result.stdout, result.exception)
        return result

    yield run
    context.settings.cache_clear()
    from workflow.db import dispose_engines

    dispose_engines()


def test_annual_report_of_the_demo_prints_both_tables_reconciled(ogi):
    out = ogi("report", "annual", "--year", "2026").stdout
    for label in LABELS:
        assert label in out, label
    assert "四、政府信息公开行政复议、行政诉讼情况" in out and "勾稽校验：通过" in out
    assert "| 一、本年新收政府信息公开申请数量 | 14 | 3 | 2 | 1 | 1 | 0 | 21 |" in out  # 22 cases, 1 unregistered
    assert "- 总计：21 + 0 = 17 + 4" in out


def test_every_format_to_a_file(ogi, tmp_path):
    for fmt in ("json", "html", "xlsx", "md", "docx"):
        target = tmp_path / f"report.{fmt}"
        result = ogi("report", "annual", "--year", "2026", "--format", fmt, "--out", str(target))
        assert "已通过勾稽校验" in result.stdout and target.stat().st_size > 0
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["reconciled"] and data["table3"][0]["cells"]["total"]["count"] == 21
    assert "<details>" in (tmp_path / "report.html").read_text(encoding="utf-8")
    wb = load_workbook(tmp_path / "report.xlsx")
    assert wb["表三"]["J6"].value == 21  # official shape: 3 header rows, 3 label columns
    assert wb.sheetnames[0] == "报告正文"
    failed = ogi("report", "annual", "--year", "2026", "--format", "xlsx", ok=False)
    assert isinstance(failed.exception, InvalidInput) and failed.exception.field == "out"
    failed = ogi("report", "annual", "--year", "2026", "--format", "pdf", ok=False)
    assert isinstance(failed.exception, InvalidInput) and failed.exception.rule == "report.format"
    failed = ogi("report", "annual", "--year", "2026", "--out", str(tmp_path / "nowhere" / "r.md"), ok=False)
    assert isinstance(failed.exception, InvalidInput)


def test_remedy_command_feeds_table_4(ogi):
    filed = ("case", "remedy", "3", "--kind", "reconsideration", "--event", "filed", "--date", "2026-12-01")
    shown = json.loads(ogi(*filed, "--actor", "承办人小王", "--json", now="2026-12-02").stdout)
    assert shown["kind"] == "reconsideration" and shown["on"] == "2026-12-01" and shown["filing"] is None
    decided = ogi("case", "remedy", shown["number"], "--kind", "reconsideration", "--event", "decided",
                  "--result", "upheld", "--actor", "管理员", now="2026-12-20")  # fmt: skip
    assert "行政复议" in decided.stdout and "结果维持" in decided.stdout
    refused = ogi("case", "remedy", "3", "--kind", "reconsideration", "--event", "filed", "--actor", "审计员刘审计",
                  ok=False)  # fmt: skip
    assert refused.exception is not None and refused.exception.rule == "role.forbidden"
    out = ogi("report", "annual", "--year", "2026").stdout
    # the demo already filed one reconsideration on this case: the decision closes the older filing
    assert "| 1 | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in out  # Table 4: one row of 15


def test_stats_with_json_and_chart(ogi, tmp_path):
    chart = tmp_path / "chart.svg"
    data = json.loads(ogi("report", "stats", "--year", "2026", "--json", "--chart", str(chart)).stdout)
    assert data["overall"]["intake"] == 21 and data["overall"]["answered"] == 15
    assert [d["name"] for d in data["departments"]] == ["政务公开科", "未分配"]
    assert ET.parse(chart).getroot().tag.endswith("svg")
    text = ogi("report", "stats", now="2026-11-21").stdout
    assert "按承办人" in text and "承办人小王" in text and "11月" in text


def test_a_report_that_does_not_reconcile_is_refused(ogi, monkeypatch):
    from workflow.reports import ledger

    real = ledger.compute_annual

    def broken(*args, **kwargs):
        report = real(*args, **kwargs)
        report.table3["carried_forward"]["natural_person"].count += 1
        return report

    monkeypatch.setattr(ledger, "compute_annual", broken)
    failed = ogi("report", "annual", "--year", "2026", ok=False)
    assert isinstance(failed.exception, Refused) and failed.exception.rule == "report.reconciliation"
    assert "表三「自然人」列" in str(failed.exception) and "结转下年度继续办理」行「总计」列" in str(failed.exception)
