"""Entry point of `ogi`. Every command is a thin wrapper; errors become one clear line on stderr
and a non-zero exit, never a traceback."""

from __future__ import annotations

import sys

import typer

from cli.audit_cmd import register as register_audit
from cli.calendar_cmd import calendar_app
from cli.case_cmd import case_app
from cli.context import settings
from cli.info_cmd import info_app
from cli.letter_cmd import letter_app, office_app
from cli.output import emit_json, masked, table
from cli.redact_cmd import attach_cmd, attachments_cmd, package_cmd, redact_app
from cli.report_cmd import remedy_cmd, report_app
from cli.token_cmd import token_app
from cli.worker_cmd import PASS_THROUGH, beat_cmd, inbox_cmd, serve_cmd, sweep_cmd, worker_cmd
from states import STATE_LABELS, mermaid_diagram
from states.labels import role_label
from workflow import logs
from workflow.admin.users import add_user
from workflow.calendar import CalendarError
from workflow.config import SettingsError
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.ledger.checkpoints import CheckpointError

app = typer.Typer(
    help="ogi-workflow：政府信息依申请公开办理系统",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
user_app = typer.Typer(help="用户与角色", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志", no_args_is_help=True)
flow_app = typer.Typer(help="办理流程", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(report_app, name="report")
case_app.command("remedy")(remedy_cmd)
case_app.command("attach")(attach_cmd)
case_app.command("attachments")(attachments_cmd)
case_app.command("package")(package_cmd)
app.add_typer(redact_app, name="redact")
app.add_typer(calendar_app, name="calendar")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
register_audit(audit_app)
app.add_typer(flow_app, name="flow")
app.add_typer(letter_app, name="letter")
app.add_typer(office_app, name="office")
app.add_typer(info_app, name="info")
app.add_typer(token_app, name="token")
app.command("sweep")(sweep_cmd)
app.command("inbox")(inbox_cmd)
app.command("worker", context_settings=PASS_THROUGH)(worker_cmd)
app.command("beat", context_settings=PASS_THROUGH)(beat_cmd)
app.command("serve", context_settings=PASS_THROUGH)(serve_cmd)


@app.command("init")
def init_cmd(
    simulation: bool = typer.Option(
        False,
        "--simulation",
        help="create a simulation database: OGI_NOW drives writes, every document is marked as a sample",
    ),
) -> None:
    """Create or upgrade the database schema (a new database is for real work unless --simulation)."""
    from workflow import schema  # Alembic is only needed here; keep it off every other command's start-up

    s = settings()
    revision = schema.upgrade(s, simulation=simulation)
    kind = "（模拟数据库：可用 OGI_NOW 模拟时间，文书标注“样本”）" if simulation else ""
    typer.echo(f"数据库已就绪：{masked(s.database_url)}（schema 版本 {revision}）{kind}")


@user_app.command("add")
def user_add(
    name: str,
    role: list[str] = typer.Option(..., "--role", help="registrar|handler|reviewer|approver|auditor|admin"),
    department: str = typer.Option(None, "--department"),
    email: str = typer.Option(None, "--email"),
    as_json: bool = typer.Option(False, "--json"),
    actor: str = typer.Option("system", "--actor", help="办理的管理员（默认为服务器操作员）"),
) -> None:
    """Add a user (or add roles to one); audited."""
    s = settings()
    with transaction(s) as session:
        user = add_user(session, name=name, roles=role, now=s.now(), department=department, email=email, actor=actor)
        roles = user.roles.split(",")
        view = {"id": user.id, "name": user.name, "roles": roles, "department": user.department}
    if as_json:
        emit_json(view)
    else:
        typer.echo(f"用户 {name}：{'、'.join(role_label(r) for r in roles)}")


@user_app.command("password")
def user_password(
    name: str,
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Set a user's console password (at least 8 characters)."""
    from workflow.accounts.passwords import set_password

    s = settings()
    with transaction(s) as session:
        set_password(session, name, password, now=s.now())
    typer.echo(f"已为用户 {name} 设置密码")


@user_app.command("set")
def user_set(
    name: str,
    actor: str = typer.Option(..., "--actor"),
    role: list[str] = typer.Option(None, "--role", help="替换全部角色（可重复）"),
    active: bool = typer.Option(None, "--active/--inactive", help="启用或停用账号（停用即注销其会话和令牌）"),
) -> None:
    """Replace a user's roles or (de)activate the account (admin; audited)."""
    from workflow.admin.users import change_user

    s = settings()
    with transaction(s) as session:
        user = change_user(session, name=name, actor=actor, now=s.now(), roles=role or None, active=active)
        roles, state = "、".join(role_label(r) for r in sorted(user.role_set())), "启用" if user.active else "已停用"
    typer.echo(f"用户 {name}：{roles}（{state}）")


@user_app.command("list")
def user_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """List users and roles."""
    from sqlmodel import select

    from workflow.models import User

    with reading(settings()) as session:
        users = [
            {"name": u.name, "roles": u.roles, "department": u.department, "active": u.active}
            for u in session.exec(select(User).order_by(User.name))
        ]
    if as_json:
        emit_json(users)
    else:
        table(["用户", "角色", "部门", "启用"], [[u["name"], u["roles"], u["department"], u["active"]] for u in users])


@app.command("demo")
def demo_cmd() -> None:
    """Seed demo staff and sample cases (only into a database without cases)."""
    from workflow.demo import DEMO_STAFF, seed

    numbers = seed(settings())
    if not numbers:
        typer.echo("数据库中已有案件，未重复生成示例数据。")
        return
    typer.echo(f"已生成示例案件 {len(numbers)} 件：{'、'.join(numbers)}")
    typer.echo("示例用户：" + "、".join(f"{n}（{role_label(r)}）" for n, r in DEMO_STAFF.items()))


@flow_app.command("diagram")
def flow_diagram() -> None:
    """Print the flow as a Mermaid state diagram."""
    typer.echo(mermaid_diagram())


@flow_app.command("states")
def flow_states() -> None:
    """List the states with their Chinese labels."""
    table(["状态", "名称"], [[s.value, label] for s, label in STATE_LABELS.items()])


def main() -> None:
    # A command's output is its own; the engine's INFO lines are for the long-running processes
    # (serve, worker, beat raise the level to INFO) unless OGI_LOG_LEVEL says otherwise.
    logs.configure(default_level="WARNING")
    try:
        app()
    except (WorkflowError, CalendarError, SettingsError, CheckpointError) as exc:
        typer.echo(f"错误：{exc}", err=True)
        sys.exit(2 if isinstance(exc, SettingsError) else 1)
    except Exception as exc:  # noqa: BLE001 - the contract is a message, never a traceback
        from sqlalchemy.exc import OperationalError, ProgrammingError

        if isinstance(exc, OperationalError | ProgrammingError) and (
            "no such table" in str(exc) or "does not exist" in str(exc)
        ):
            typer.echo("错误：数据库尚未初始化，请先运行 ogi init", err=True)
        else:
            typer.echo(f"错误：{type(exc).__name__}: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
