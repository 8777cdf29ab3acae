"""`ogi sweep`, `ogi inbox`, and the processes: `ogi worker`, `ogi beat`, `ogi serve`."""

from __future__ import annotations

import signal
import subprocess

import typer

from cli.context import settings
from cli.output import emit_json, masked, table
from workflow.db import reading
from workflow.notify.inboxes import inbox
from workflow.sweep.cases import sweep
from workflow.timeutil import local_stamp


def sweep_cmd(as_json: bool = typer.Option(False, "--json")) -> None:
    """Run one deadline sweep now, in this process, as of OGI_NOW."""
    report = sweep(settings())
    if as_json:
        emit_json(
            {
                "as_of": report.as_of,
                "scanned": report.scanned,
                "notifications": report.notifications,
                "escalations": [{"case": c, "deadline": d, "level": lv} for c, d, lv in report.escalations],
                "lapses": [{"case": c, "action": a} for c, a in report.lapses],
                "held_for_confirmation": [{"case": c, "action": a} for c, a in report.holds],
                "refused": [{"case": c, "action": a} for c, a in report.refused],
                "seconds": report.seconds,
            }
        )
        return
    typer.echo(
        f"截至{report.as_of}：检查 {report.scanned} 项期限，新增预警 {len(report.escalations)} 项、"
        f"通知 {report.notifications} 条，逾期处理 {len(report.lapses)} 件（用时 {report.seconds:.3f} 秒）"
    )
    for number, deadline, level in report.escalations:
        typer.echo(f"  预警 {number} {deadline} {level}")
    for number, action in report.lapses:
        typer.echo(f"  逾期处理 {number} {action}")
    for number, action in report.holds:
        typer.echo(f"  待承办人确认（临时日历） {number} {action}")
    for number, action in report.refused:
        typer.echo(f"  未能自动处理，已通知承办人 {number} {action}")
    reg = report.registry
    if reg is not None and (reg.escalations or reg.proposals):
        typer.echo(f"  政府信息目录：新增预警 {len(reg.escalations)} 项，建议转为主动公开 {len(reg.proposals)} 条")


def inbox_cmd(
    user: str,
    unread: bool = typer.Option(False, "--unread"),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A user's notifications, newest first."""
    with reading(settings()) as session:
        rows = inbox(session, user, unread=unread, limit=limit)
    if as_json:
        emit_json(rows)
        return
    cells = [[r["id"], r["kind"], r["title"], local_stamp(r["created_at"])] for r in rows]
    table(["id", "类型", "标题", "时间(北京)"], cells)


PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}


def _one_scheduler() -> None:
    """Refuse to start a second beat on the same database or broker folder."""
    from workflow.sweep.beat_lock import BeatLocked, acquire

    try:
        acquire(settings())
    except BeatLocked as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(1) from None


def worker_cmd(ctx: typer.Context) -> None:
    """Run a Celery worker (production: set OGI_BROKER_URL). Extra arguments go to Celery."""
    from workers.app import app

    if any(a in ("-B", "--beat") for a in ctx.args):
        _one_scheduler()

    app.worker_main(["worker", "--loglevel=INFO", *ctx.args])


def beat_cmd(ctx: typer.Context) -> None:
    """Run Celery beat: the deadline sweep, the outbox relay, the daily digest and the daily signed
    checkpoint on schedule. Only one per database: a second is refused."""
    from workers.app import app

    _one_scheduler()

    app.start(["beat", "--loglevel=INFO", *ctx.args])


def serve_cmd(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    background: bool = typer.Option(True, "--workers/--no-workers", help="也运行期限检查（worker + beat）"),
) -> None:
    """Run the product in one command: the web console and API, a worker and beat."""
    import os
    import sys
    from pathlib import Path

    import uvicorn

    from states.labels import role_label
    from workflow import logs, schema
    from workflow.admin.logins import ensure_demo_logins

    logs.configure(default_level="INFO")
    s = settings()
    schema.upgrade(s)
    for user, role, password in ensure_demo_logins(s):
        typer.echo(f"演示账号  {role_label(role):<6} 用户名 {user}  密码 {password}")
    broker = s.broker_url or f"filesystem://{Path(s.broker_dir).resolve()}"
    clock = f"；时间设定为 {s.now().isoformat()}" if s.now_override else ""
    typer.echo(
        f"数据库 {masked(s.database_url)}；消息通道 {masked(broker)}；期限检查每 {s.sweep_seconds:g} 秒一次{clock}"
    )
    child = None
    if background:
        Path(s.broker_dir).mkdir(parents=True, exist_ok=True)
        schedule = str(Path(s.broker_dir) / "beat-schedule")
        args = [sys.executable, "-m", "cli.main", "worker", "-B", "--pool=solo", "-s", schedule, *ctx.args]
        child = subprocess.Popen(args, env=dict(os.environ), preexec_fn=_die_with_parent)  # noqa: PLW1509
    typer.echo(f"控制台地址：http://{host}:{port}/    API 文档：http://{host}:{port}/docs")
    # uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown; with the default actions that
    # would end this process before `finally` (or with a traceback), leaving the worker and its beat
    # running: exit normally instead, through `finally`.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    try:
        # Our middleware writes one line per request, with its id: uvicorn's access log would repeat it.
        # Named, not imported: cli and web are peers (architecture.md); the factory reads the same
        # environment as these settings.
        uvicorn.run("web.app:create_app", factory=True, host=host, port=port, log_level="info", access_log=False)
    finally:
        if child is not None:
            _stop(child)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(0)  # a requested, graceful stop


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends it SIGTERM if `ogi serve` dies (even by SIGKILL)."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the SIGTERM/SIGINT path above still stops the child
        pass


def _stop(child: subprocess.Popen[bytes]) -> None:
    child.terminate()
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=10)
