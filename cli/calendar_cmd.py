"""`ogi calendar ...`: working-day arithmetic, imports of official arrangements, closures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from sqlalchemy.exc import OperationalError

from cli.context import settings
from cli.output import emit_json, table
from workflow.admin.calendar import Impact, add_closure, import_arrangement
from workflow.calendar import CalendarError, WorkCalendar, load_arrangement_file
from workflow.calendar.store import load_calendar
from workflow.db import reading
from workflow.errors import InvalidInput

calendar_app = typer.Typer(help="工作日历", no_args_is_help=True)


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CalendarError(name, f"{value!r} 不是有效日期（应为 YYYY-MM-DD）") from None


def _calendar() -> WorkCalendar:
    with reading(settings()) as session:
        try:
            return load_calendar(session)
        except OperationalError:  # before `ogi init`, arithmetic still works on the built-in years
            return WorkCalendar()


@calendar_app.command("add-workdays")
def add_workdays(start: str, n: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """The N-th working day after DATE (day 1 is the first working day after DATE)."""
    cal = _calendar()
    result, provisional = cal.add_workdays_flagged(_date(start, "DATE"), n)
    if as_json:
        emit_json({"start": start, "n": n, "result": result, "provisional": provisional})
        return
    typer.echo(result.isoformat() + (" provisional" if provisional else ""))
    if provisional:
        years = cal.provisional_years_between(_date(start, "DATE"), result)
        typer.echo(f"（{'、'.join(map(str, years))}年放假安排尚未导入，结果为临时推算）")


def _print_impact(impact: Impact, as_json: bool) -> None:
    if as_json:
        emit_json(impact.as_dict())
        return
    verb = "已生效" if impact.applied else "预览（未生效）"
    typer.echo(f"{impact.change} — {verb}；在办案件 {impact.open_cases} 件，期限变动 {len(impact.moved)} 项")
    if impact.moved:
        table(
            ["案件", "期限", "原日期", "新日期", "变动(天)"],
            [
                [m.number, m.deadline, m.old or "—", m.new or "—", m.days if m.days is not None else "—"]
                for m in impact.moved
            ],
        )
    if impact.confirmed:
        typer.echo(f"期限不再是临时推算（已按正式安排确认）：{'、'.join(impact.confirmed)}")
    if impact.became_provisional:
        typer.echo(f"期限变为临时推算：{'、'.join(impact.became_provisional)}")


@calendar_app.command("import")
def import_cmd(
    file: str,
    actor: str = typer.Option(..., "--actor"),
    dry_run: bool = typer.Option(False, "--dry-run"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import a year's official arrangement (YAML or CSV) and recompute every open case."""
    if not Path(file).is_file():
        raise InvalidInput(f"FILE：找不到文件 {file}", "calendar.file", "file")
    arrangement = load_arrangement_file(file)
    _print_impact(import_arrangement(settings(), arrangement, actor=actor, dry_run=dry_run), as_json)


@calendar_app.command("close")
def close_cmd(
    day: str,
    reason: str = typer.Option(..., "--reason"),
    actor: str = typer.Option(..., "--actor"),
    dry_run: bool = typer.Option(False, "--dry-run"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Add a local closure day (e.g. a typhoon day) and recompute every open case."""
    _print_impact(add_closure(settings(), _date(day, "DATE"), reason, actor=actor, dry_run=dry_run), as_json)


@calendar_app.command("show")
def show(year: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """The year's holidays, make-up working days and closures."""
    cal = _calendar()
    arr = cal.arrangement(year)
    days = [cal.day_info(d) for d in sorted(arr.holidays | arr.workdays)]
    if as_json:
        emit_json(
            {
                "year": year,
                "official": arr.official,
                "source": arr.source,
                "holidays": sorted(arr.holidays),
                "workdays": sorted(arr.workdays),
            }
        )
        return
    status = "正式安排" if arr.official else "临时推算（未导入正式安排）"
    typer.echo(f"{year}年 {status}：{arr.source}")
    table(["日期", "类型", "说明"], [[d.day.isoformat(), d.kind.value, d.note] for d in days])
