"""`ogi info ...`: the information registry (公开属性源头认定, proactive disclosure, the catalogue)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import typer

from cli.context import settings
from cli.output import emit_json, table
from states.registry import ITEM_STATE_LABELS, ItemState
from workflow.db import reading, transaction
from workflow.errors import InvalidInput
from workflow.registry.queries import get_item, history, item_deadlines, item_view, list_items
from workflow.registry.service import perform_info, register_item
from workflow.registry.settings import change_registry_setting, load_registry_settings

info_app = typer.Typer(help="政府信息登记与主动公开目录", no_args_is_help=True)
settings_app = typer.Typer(help="目录设置（索引号规则等）", no_args_is_help=True)
info_app.add_typer(settings_app, name="settings")


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}：'{value}' 不是有效日期，应为 YYYY-MM-DD", "input.date", name) from None


def _show(ref: str | int, as_json: bool) -> None:
    with reading(settings()) as session:
        view = item_view(session, get_item(session, ref))
    if as_json:
        emit_json(view)
        return
    typer.echo(f"{view['index_number']}（id {view['id']}，版本 {view['version']}）  状态：{view['state_label']}")
    typer.echo(f"名称：{view['title']}")
    typer.echo(f"文号：{view['doc_number'] or '—'}  发布机构：{view['issuer']}  成文日期：{view['made_on']}")
    typer.echo(f"公开属性：{view['attribute_label']}  主题分类：{view['category'] or '—'}  类别：{view['kind_label']}")
    if view["reason"]:
        typer.echo(f"理由：{view['reason']}{'（' + view['ground_label'] + '）' if view['ground_label'] else ''}")
    if view["publish_due"]:
        typer.echo(f"公开期限：{view['publish_due']}{'（临时）' if view['provisional'] else ''}")
    if view["published_on"]:
        typer.echo(f"公开日期：{view['published_on']}  公开方式：{view['channel'] or '—'}  {view['url']}")
    if view["review_due"]:
        typer.echo(f"下次定期评估：{view['review_due']}")
    if view["proposal_open"]:
        typer.echo("已建议转为主动公开（条例第四十四条），待评估")


@info_app.command("register")
def register(
    title: str = typer.Option(..., "--title"),
    made_on: str = typer.Option(..., "--made-on", help="成文日期 YYYY-MM-DD"),
    attribute: str = typer.Option(..., "--attribute", help="proactive|on_request|withheld|redacted|declassified"),
    reason: str = typer.Option(None, "--reason", help="不主动公开或删减的理由（主动公开以外必填）"),
    ground: str = typer.Option(None, "--ground", help="第十四至十六条依据（不予公开、删减后公开必填）"),
    files: list[Path] = typer.Option([], "--file", help="附件，可重复"),
    doc_number: str = typer.Option(None, "--doc-number", help="文号"),
    issuer: str = typer.Option(None, "--issuer", help="发布机构（默认取目录设置）"),
    category: str = typer.Option(None, "--category", help="主题分类"),
    kind: str = typer.Option("other", "--kind", help="rule（规章）|normative（行政规范性文件）|other"),
    actor: str = typer.Option(..., "--actor"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Register an item of government information with its disclosure attribute."""
    attached = []
    for path in files:
        if not path.is_file():
            raise InvalidInput(f"file：找不到文件 {path}", "input.file", "file")
        attached.append((path.name, path.read_bytes()))
    item = register_item(
        settings(),
        title=title,
        made_on=_date(made_on, "made_on"),
        attribute=attribute,
        reason=reason,
        ground=ground,
        doc_number=doc_number,
        issuer=issuer,
        category=category,
        kind=kind,
        files=attached,
        actor=actor,
    )
    if as_json:
        _show(item.id or 0, True)
        return
    typer.echo(f"已登记：{item.index_number}（id {item.id}）")


@info_app.command("list")
def list_cmd(
    state: str = typer.Option(None, "--state"),
    attribute: str = typer.Option(None, "--attribute"),
    category: str = typer.Option(None, "--category"),
    year: int = typer.Option(None, "--year"),
    q: str = typer.Option(None, "--q", help="检索词（中文分词）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List registry items."""
    with reading(settings()) as session:
        items = list_items(session, state=state, attribute=attribute, category=category, year=year, q=q)
        views = [item_view(session, i) for i in items]
    if as_json:
        emit_json(views)
        return
    table(
        ["id", "索引号", "状态", "公开属性", "成文日期", "公开期限", "名称"],
        [
            [
                v["id"],
                v["index_number"],
                v["state_label"],
                v["attribute_label"],
                v["made_on"],
                v["publish_due"] or "—",
                v["title"][:24],
            ]
            for v in views
        ],
    )


@info_app.command("show")
def show(item: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show an item (by id or index number)."""
    _show(item, as_json)


@info_app.command("act")
def act(
    item: str,
    action: str,
    actor: str = typer.Option(..., "--actor"),
    sets: list[str] = typer.Option([], "--set", help="key=value，可重复"),
    version: int = typer.Option(None, "--version", help="期望的条目版本（并发保护）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Take an action on an item: review, approve, publish, change, republish, reevaluate, ..."""
    payload: dict[str, object] = {}
    for entry in sets:
        key, sep, value = entry.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--set：'{entry}' 应为 key=value 形式", "input.set_syntax", "set")
        payload[key.strip()] = value
    s = settings()
    with reading(s) as session:
        item_id = get_item(session, item).id or 0
    result = perform_info(item_id, action, actor, payload, version, settings=s)
    if as_json:
        _show(item_id, True)
        return
    frm, to = ITEM_STATE_LABELS[ItemState(result.from_state)], ITEM_STATE_LABELS[ItemState(result.to_state)]
    typer.echo(f"{result.item.index_number}：{action} 完成，{frm} → {to}（版本 {result.item.version}）")


@info_app.command("history")
def history_cmd(item: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The item's ledger events, oldest first."""
    with reading(settings()) as session:
        events = history(session, get_item(session, item))
    if as_json:
        emit_json(events)
        return
    table(
        ["日期", "动作", "状态", "内容"], [[e["day"], e["action"], e["to_state"] or "", e["payload"]] for e in events]
    )


@info_app.command("deadlines")
def deadlines(
    item: str,
    explain_: bool = typer.Option(False, "--explain", help="逐日说明计算过程"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The item's deadlines (Art. 26 publication, re-evaluation), recomputed from its history."""
    with reading(settings()) as session:
        it = get_item(session, item)
        out, lines = item_deadlines(session, it)
        number = it.index_number
    if as_json:
        emit_json(
            {
                "item": number,
                "publish_due": out.publish_due,
                "review_due": out.review_due,
                "provisional": out.provisional,
                "explanation": lines if explain_ else None,
            }
        )
        return
    typer.echo(f"{number} 期限")
    typer.echo(f"  publish_due: {out.publish_due or '—'}{'（临时）' if out.provisional else ''}")
    typer.echo(f"  review_due: {out.review_due or '—'}")
    if explain_:
        typer.echo("")
        for line in lines:
            typer.echo(line)


@settings_app.command("show")
def settings_show(as_json: bool = typer.Option(False, "--json")) -> None:
    """The registry's settings."""
    with reading(settings()) as session:
        values = asdict(load_registry_settings(session))
    if as_json:
        emit_json(values)
    else:
        table(["设置项", "值"], [[k, v] for k, v in values.items()])


@settings_app.command("set")
def settings_set(key: str, value: str, actor: str = typer.Option(..., "--actor")) -> None:
    """Change one registry setting (admin; audited), e.g. index_pattern '{org}/{year}-{seq:05d}'."""
    s = settings()
    with transaction(s) as session:
        change_registry_setting(session, key=key, value=value, actor=actor, now=s.now())
    typer.echo(f"目录设置 {key} 已改为：{value}")


@info_app.command("section-two")
def section_two_cmd(year: int = typer.Option(..., "--year"), as_json: bool = typer.Option(False, "--json")) -> None:
    """The annual report's section 二 counts from the registry (规章, 行政规范性文件)."""
    from workflow.registry.report import section_two

    with reading(settings()) as session:
        counts = section_two(session, year)
    if as_json:
        emit_json(counts)
        return
    table(
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "来源"],
        [
            [c["label"], c["made"], c["repealed"], c["in_force"], "目录" if c["from_registry"] else "目录无此类条目"]
            for c in counts.values()
        ],
    )
