"""`ogi report annual|stats` and `ogi case remedy`: the annual report (Tables 3 and 4, reconciled,
with the drill-down), the office's statistics and chart, and recording reconsideration and
litigation on a case."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from cli.context import settings
from cli.output import emit_json, table
from states.remedies import RemedyEvent, RemedyKind, RemedyResult
from workflow.cases.queries import find_case
from workflow.cases.remedies import describe, record_remedy
from workflow.config import LOCAL_TZ
from workflow.db import reading
from workflow.errors import InvalidInput
from workflow.reports.chart import monthly_chart
from workflow.reports.full import full_report, to_json_full, to_markdown_full
from workflow.reports.full_html import to_html_full
from workflow.reports.stats import GroupStats, office_stats

report_app = typer.Typer(help="年度报告与统计", no_args_is_help=True)
FORMATS = ("md", "html", "xlsx", "json", "docx")


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"as-of：'{value}' 不是有效的日期或时间，应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM", "input.date", "as_of"
        ) from None
    if len(value.strip()) == 10:  # a bare date: the end of that day
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def _write(out: str, content: bytes) -> None:
    path = Path(out)
    if not path.parent.exists():
        raise InvalidInput(f"--out：目录 {path.parent} 不存在", "output.directory", "out")
    path.write_bytes(content)


@report_app.command("annual")
def annual_cmd(
    year: int = typer.Option(..., "--year", help="报告年度"),
    fmt: str = typer.Option("md", "--format", help="md|html|xlsx|json|docx"),
    out: str = typer.Option(None, "--out", help="输出文件；省略时打印到屏幕（xlsx、docx 必须指定）"),
    as_of: str = typer.Option(None, "--as-of", help="按此时刻的审计日志计算（默认现在；已结束年度一律截至12月31日）"),
) -> None:
    """The whole annual report (six sections; Tables 3 and 4 reconciled, with the case numbers behind each number)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format：'{fmt}' 应为 {'|'.join(FORMATS)}", "report.format", "format")
    if fmt in ("xlsx", "docx") and not out:
        raise InvalidInput(f"--out：{fmt} 格式须指定输出文件", "output.required", "out")
    s = settings()
    report = full_report(s, year, _moment(as_of) or s.now())
    if fmt == "xlsx":
        from workflow.reports.excel import to_xlsx_full  # openpyxl costs 0.1 s to import: only when asked

        content = to_xlsx_full(report)
    elif fmt == "docx":
        from workflow.reports.word import to_docx_full

        content = to_docx_full(report)
    else:
        text = {"md": to_markdown_full, "html": to_html_full, "json": to_json_full}[fmt](report)
        if not out:
            typer.echo(text, nl=False)
            return
        content = text.encode()
    _write(out, content)
    typer.echo(f"{year}年度报告（{fmt}）已写入 {out}：六个部分齐全，表三、表四已通过勾稽校验")


def _group_rows(groups: list[GroupStats]) -> list[list[object]]:
    rows: list[list[object]] = []
    for g in groups:
        rate = g.on_time_rate
        med = g.median_workdays
        rows.append(
            [
                g.name,
                g.intake,
                g.answered,
                g.on_time,
                "—" if rate is None else f"{rate:.1%}",
                "—" if med is None else f"{med:g}",
                g.late,
                g.overdue_open,
                g.extensions,
                g.fee_income,
            ]
        )
    return rows


KINDS = "|".join(k.value for k in RemedyKind)
EVENTS = "|".join(e.value for e in RemedyEvent)
RESULTS = "|".join(r.value for r in RemedyResult)
GROUP_HEADERS = [
    "收件",
    "答复",
    "按时答复",
    "按时率",
    "答复用时中位数(工作日)",
    "逾期答复",
    "在办逾期",
    "延期",
    "收费(元)",
]


@report_app.command("stats")
def stats_cmd(
    year: int = typer.Option(None, "--year", help="统计年度（默认本年）"),
    as_json: bool = typer.Option(False, "--json"),
    chart: str = typer.Option(None, "--chart", help="把每月收件量与按时答复率图写入此 SVG 文件"),
    as_of: str = typer.Option(None, "--as-of", help="按此时刻的审计日志计算（默认现在）"),
) -> None:
    """Office statistics per department and handler: on-time rate, working days, overdue, extensions, fees."""
    s = settings()
    stats = office_stats(s, year, _moment(as_of) or s.now())
    if chart:
        _write(chart, monthly_chart(stats).encode())
    if as_json:
        emit_json(stats.as_dict())
        return
    typer.echo(f"{stats.year}年办理统计（数据截至 {stats.cutoff.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} 北京时间）")
    for heading, groups in (("按承办部门", stats.departments), ("按承办人", stats.handlers)):
        typer.echo("")
        table([heading, *GROUP_HEADERS], _group_rows([*groups, stats.overall]))
    typer.echo("")
    table(
        ["月份", "收件", "答复", "按时答复", "按时率"],
        [
            [
                f"{m.month}月",
                m.intake,
                m.answered,
                m.on_time,
                "—" if m.on_time_rate is None else f"{m.on_time_rate:.1%}",
            ]
            for m in stats.months
        ],
    )
    if chart:
        typer.echo(f"\n图表已写入 {chart}")


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"date：'{value}' 不是有效日期，应为 YYYY-MM-DD", "input.date", "date") from None


def remedy_cmd(
    case: str = typer.Argument(..., help="案件 id 或编号"),
    kind: str = typer.Option(..., "--kind", help=KINDS),
    event: str = typer.Option(..., "--event", help=EVENTS),
    result: str = typer.Option(None, "--result", help=RESULTS + "（--event decided 时必填）"),
    on: str = typer.Option(None, "--date", help="申请复议、起诉或作出决定之日 YYYY-MM-DD（默认今天）"),
    actor: str = typer.Option(..., "--actor"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record that the applicant applied for reconsideration or sued, or the result (does not change the case)."""
    s = settings()
    with reading(s) as session:
        found = find_case(session, case)
        case_id, number = found.id or 0, found.number
    record = record_remedy(s, case_id, kind=kind, actor=actor, event=event, result=result, on=_date(on))
    if as_json:
        emit_json(
            {
                "case_id": record.case_id,
                "number": number,
                "event_seq": record.seq,
                "kind": record.kind,
                "event": record.event,
                "result": record.result,
                "on": record.on,
                "filing": record.filing,
            }
        )
        return
    typer.echo(f"{number}：已登记 {describe(record)}（审计事件 {record.seq}）")


from cli.report_text_cmd import text_app  # noqa: E402  (registered here: one line, no edit to cli/main.py)

report_app.add_typer(text_app, name="text")
