"""`ogi case ...`: receive, act, show, list, history, deadlines."""

from __future__ import annotations

from datetime import date

import typer

from cli.context import settings
from cli.output import emit_json, table
from states import DEFAULT_RULEBOOK, STATE_LABELS, CaseState
from states.vocab import CLOCK_LABELS, label_of
from workflow.cases.queries import case_view, case_views, deadlines_of, find_case, history_view, list_cases
from workflow.db import reading
from workflow.errors import InvalidInput
from workflow.moment import as_of_date
from workflow.service import perform, receive_application
from workflow.timeutil import local_stamp

case_app = typer.Typer(help="案件办理", no_args_is_help=True)


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}：'{value}' 不是有效日期，应为 YYYY-MM-DD", "input.date", name) from None


def _show(case_ref: str | int, as_json: bool) -> None:
    with reading(settings()) as session:
        view = case_view(session, find_case(session, case_ref))
    if as_json:
        emit_json(view)
        return
    label = view["state_label"]
    typer.echo(f"{view['number']}（id {view['id']}，版本 {view['version']}）  状态：{label}（{view['state']}）")
    typer.echo(f"申请人：{view['applicant']['name']}（{view['applicant']['kind']}）{view['applicant']['id_number']}")
    typer.echo(f"渠道：{view['channel']}  收到：{view['received_on']}  承办人：{view['handler'] or '未分派'}")
    typer.echo(f"申请内容：{view['request']}")
    prov = "（临时）" if view["provisional"] else ""
    typer.echo(f"计时：{view['clock_state']}  答复期限：{view['answer_due'] or '—'}{prov}")
    for key, name in (
        ("correction_notice_due", "补正告知期限"),
        ("correction_reply_due", "补正期限"),
        ("consultation_due", "征求意见答复期限"),
        ("fee_due", "缴费期限"),
    ):
        if view[key]:
            typer.echo(f"{name}：{view[key]}")


@case_app.command("receive")
def receive(
    channel: str = typer.Option(..., "--channel", help="in_person|registered_mail|ordinary_mail|online|fax"),
    on: str = typer.Option(..., "--date", help="收到申请之日 YYYY-MM-DD"),
    applicant: str = typer.Option(..., "--applicant"),
    applicant_type: str = typer.Option(..., "--applicant-type"),
    request: str = typer.Option(..., "--request"),
    id_number: str = typer.Option(None, "--id-number"),
    contact: str = typer.Option(None, "--contact"),
    actor: str = typer.Option(..., "--actor"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Receive an application (state `received`)."""
    case = receive_application(
        settings(),
        channel=channel,
        received_on=_date(on, "date"),
        applicant=applicant,
        applicant_type=applicant_type,
        request=request,
        actor=actor,
        id_number=id_number,
        contact=contact,
    )
    if not as_json:
        typer.echo(f"已收件：{case.number}（id {case.id}）")
        return
    _show(case.id or 0, True)


@case_app.command("act")
def act(
    case: str,
    action: str,
    actor: str = typer.Option(..., "--actor"),
    sets: list[str] = typer.Option([], "--set", help="key=value，可重复"),
    version: int = typer.Option(None, "--version", help="期望的案件版本（并发保护）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Take an action on a case."""
    payload: dict[str, object] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--set：'{item}' 应为 key=value 形式", "input.set_syntax", "set")
        payload[key.strip()] = value
    s = settings()
    with reading(s) as session:
        case_id = find_case(session, case).id or 0
    result = perform(case_id, action, actor, payload, version, settings=s, rulebook=DEFAULT_RULEBOOK)
    if as_json:
        with reading(s) as session:
            view = case_view(session, find_case(session, case_id))
        emit_json(
            {
                **view,
                "event_seq": result.event_seq,
                "letter": result.letter,
                "changed": {k: {"from": o, "to": n} for k, (o, n) in result.changed.items()},
            }
        )
        return
    frm, to = STATE_LABELS[CaseState(result.from_state)], STATE_LABELS[CaseState(result.to_state)]
    typer.echo(f"{result.case.number}：{action} 完成，{frm} → {to}（版本 {result.case.version}）")
    for key, (old, new) in result.changed.items():
        typer.echo(f"  {key}：{old or '—'} → {new or '—'}")
    if result.letter:
        typer.echo(f"  应出具文书：{result.letter}")


@case_app.command("show")
def show(case: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show a case."""
    _show(case, as_json)


@case_app.command("list")
def list_cmd(state: str = typer.Option(None, "--state"), as_json: bool = typer.Option(False, "--json")) -> None:
    """List cases."""
    with reading(settings()) as session:
        cases = case_views(session, list_cases(session, state))
    if as_json:
        emit_json(cases)
        return
    table(
        ["id", "编号", "状态", "答复期限", "申请人", "申请内容"],
        [
            [
                c["id"],
                c["number"],
                c["state_label"],
                f"{c['answer_due']}（临时）" if c["answer_due"] and c.get("provisional") else (c["answer_due"] or "—"),
                c["applicant"]["name"],
                c["request"][:20],
            ]
            for c in cases
        ],
    )


@case_app.command("history")
def history(case: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The case's audit events, oldest first."""
    with reading(settings()) as session:
        events = history_view(session, find_case(session, case))
    if as_json:
        emit_json(events)
        return
    table(
        ["序号", "时间(北京)", "办理人", "角色", "动作", "状态变化", "哈希"],
        [
            [
                e["seq"],
                local_stamp(e["at"]),
                e["actor"],
                e["role"],
                e["action"],
                f"{e['from_state'] or ''}→{e['to_state'] or ''}",
                e["hash"][:12],
            ]
            for e in events
        ],
    )


@case_app.command("deadlines")
def deadlines(
    case: str,
    explain_: bool = typer.Option(False, "--explain", help="逐日说明计算过程"),
    as_of: str = typer.Option(None, "--as-of", help="只看截至此日（或时刻）已记录的事件，不作任何更改"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every deadline of a case, recomputed from its history (optionally as it stood on a day)."""
    moment = as_of_date(as_of)
    with reading(settings()) as session:
        c = find_case(session, case)
        out, lines = deadlines_of(session, c, DEFAULT_RULEBOOK, moment)
        number = c.number
    if moment is not None:
        lines = [f"（截至 {local_stamp(moment)} 已记录的事件）", *lines]
    if as_json:
        emit_json(
            {
                "case": number,
                "clock_state": out.clock_state,
                **out.as_dict(),
                "provisional": out.provisional,
                "provisional_years": out.provisional_years,
                "explanation": lines if explain_ else None,
            }
        )
        return
    typer.echo(f"{number} 期限（计时状态：{label_of(CLOCK_LABELS, out.clock_state)}）")
    for key, value in out.as_dict().items():
        typer.echo(f"  {key}: {value or '—'}")
    if out.provisional:
        years = "、".join(str(y) for y in out.provisional_years)
        typer.echo(f"  注意：{years}年放假安排尚未导入，以上期限为临时推算（导入后自动重算）")
    if explain_:
        typer.echo("")
        for line in lines:
            typer.echo(line)
