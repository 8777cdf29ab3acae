"""`ogi token create|list|revoke`: API tokens with a name, a scope and an expiry."""

from __future__ import annotations

import typer

from cli.context import settings
from cli.output import emit_json, table
from workflow.accounts.tokens import DEFAULT_DAYS, issue, revoke, token_view, tokens_of
from workflow.accounts.users import SYSTEM_ACTOR
from workflow.db import reading, transaction
from workflow.timeutil import local_stamp

token_app = typer.Typer(help="接口令牌（API）", no_args_is_help=True)
STATUS = {"active": "有效", "expired": "已过期", "revoked": "已吊销"}


@token_app.command("create")
def token_create(
    user: str,
    name: str = typer.Option("", "--name", help="令牌名称，如：统计脚本"),
    scope: str = typer.Option("read", "--scope", help="read（只读）或 write（可办理）"),
    days: int = typer.Option(DEFAULT_DAYS, "--days", help="有效天数"),
    actor: str = typer.Option(SYSTEM_ACTOR, "--actor", help="签发人（本人或管理员；默认为服务器操作员）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Issue a token for USER; it is printed once and never stored."""
    s = settings()
    with transaction(s) as session:
        made = issue(session, user=user, actor=actor, now=s.now(), name=name, scope=scope, days=days)
        view = token_view(made.row, s.now())
    if as_json:
        emit_json({"token": made.token, **view})
        return
    typer.echo(made.token)
    typer.echo(f"令牌 {view['id']}（{user}，{scope}）有效至 {local_stamp(view['expires_at'])}；只显示这一次", err=True)


@token_app.command("list")
def token_list(
    user: str = typer.Option(None, "--user", help="只列出此用户的令牌"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List tokens (never the tokens themselves): id, user, name, scope, expiry, status."""
    s = settings()
    with reading(s) as session:
        rows = [token_view(t, s.now()) for t in tokens_of(session, user)]
    if as_json:
        emit_json(rows)
        return
    cells = [
        [
            r["id"],
            r["user"],
            r["name"],
            r["scope"],
            local_stamp(r["expires_at"]) if r["expires_at"] else "—",
            STATUS[r["status"]],
        ]
        for r in rows
    ]
    table(["id", "用户", "名称", "范围", "到期(北京)", "状态"], cells)


@token_app.command("revoke")
def token_revoke(
    token_id: int = typer.Argument(..., help="令牌编号（ogi token list）"),
    actor: str = typer.Option(SYSTEM_ACTOR, "--actor", help="吊销人（令牌所有人或管理员；默认为服务器操作员）"),
) -> None:
    """Revoke one token at once (audited)."""
    s = settings()
    with transaction(s) as session:
        row = revoke(session, token_id, actor=actor, now=s.now())
        owner = row.user_name
    typer.echo(f"令牌 {token_id}（{owner}）已吊销")
