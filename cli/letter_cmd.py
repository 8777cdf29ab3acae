"""`ogi letter ...` and `ogi office ...`: previews, issued letters, the office's settings."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.context import settings
from cli.output import emit_json, table
from workflow.admin.office import change_setting
from workflow.calendar.store import load_calendar
from workflow.cases.queries import find_case
from workflow.db import reading, transaction
from workflow.errors import InvalidInput
from workflow.letters.issue import letter_bytes, letter_view, letters_of, preview
from workflow.letters.pdf import docx_to_pdf
from workflow.office.settings import load_office, office_dict
from workflow.timeutil import local_date, local_stamp

letter_app = typer.Typer(help="文书", no_args_is_help=True)
office_app = typer.Typer(help="机关设置", no_args_is_help=True)


def _write(out: str, content: bytes) -> None:
    path = Path(out)
    if path.parent and not path.parent.exists():
        raise InvalidInput(f"--out：目录 {path.parent} 不存在", "output.directory", "out")
    path.write_bytes(content)


@letter_app.command("preview")
def preview_cmd(
    case: str,
    kind: str,
    fmt: str = typer.Option("html", "--format", help="html|docx|pdf（pdf 需 LibreOffice 和中文字体）"),
    out: str = typer.Option(None, "--out", help="输出文件；省略时 HTML 打印到屏幕"),
) -> None:
    """Render a draft of a letter for a case (unnumbered, not stored)."""
    if fmt not in ("html", "docx", "pdf"):
        raise InvalidInput(f"--format：'{fmt}' 应为 html、docx 或 pdf", "letter.format", "format")
    s = settings()
    with reading(s) as session:
        c = find_case(session, case)
        rendered = preview(session, c, kind, cal=load_calendar(session), today=local_date(s.now()), now=s.now())
    if not out:
        if fmt != "html":
            raise InvalidInput(f"--out：{fmt} 格式须指定输出文件", "output.required", "out")
        typer.echo(rendered.html)
        return
    if fmt == "html":
        content = rendered.html.encode()
    else:
        content = docx_to_pdf(rendered.docx) if fmt == "pdf" else rendered.docx
    _write(out, content)
    typer.echo(f"草稿已写入 {out}")


@letter_app.command("list")
def list_cmd(case: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The letters issued for a case."""
    with reading(settings()) as session:
        views = [letter_view(x) for x in letters_of(session, find_case(session, case).id or 0)]
    if as_json:
        emit_json(views)
        return
    table(
        ["id", "类型", "文号", "收件人", "签发时间(北京)", "SHA-256"],
        [
            [v["id"], v["kind"], v["number"], v["addressee"], local_stamp(v["issued_at"]), v["sha256"][:16]]
            for v in views
        ],
    )


@letter_app.command("get")
def get_cmd(
    letter_id: int,
    out: str = typer.Option(..., "--out"),
    fmt: str = typer.Option("docx", "--format", help="docx|html|pdf（pdf 由存档的 .docx 转换）"),
) -> None:
    """Write an issued letter's stored bytes to a file (checked against its recorded hash)."""
    with reading(settings()) as session:
        letter, content = letter_bytes(session, letter_id, fmt)
    _write(out, content)
    typer.echo(f"{letter.number} 已写入 {out}")


@letter_app.command("models")
def models_cmd(out: str = typer.Option(..., "--out", help="输出目录（须已存在）")) -> None:
    """Render every letter kind with sample data as .docx and one HTML page (the office's model texts)."""
    from workflow.letters.models import write_models

    directory = Path(out)
    if not directory.is_dir():
        raise InvalidInput(f"--out：目录 {out} 不存在", "output.directory", "out")
    s = settings()
    with reading(s) as session:
        office = load_office(session)
    written = write_models(office, local_date(s.now()), directory)
    typer.echo(f"已写入 {len(written) - 1} 份示范文本（.docx）和 {written[-1]}")


@office_app.command("show")
def office_show(as_json: bool = typer.Option(False, "--json")) -> None:
    """The office's settings."""
    with reading(settings()) as session:
        values = office_dict(load_office(session))
    if as_json:
        emit_json(values)
        return
    table(["设置项", "值"], [[k, v] for k, v in values.items()])


@office_app.command("set")
def office_set(key: str, value: str, actor: str = typer.Option(..., "--actor")) -> None:
    """Change one office setting (admin)."""
    s = settings()
    with transaction(s) as session:
        change_setting(session, key=key, value=value, actor=actor, now=s.now())
    typer.echo(f"{key} = {value.strip()}")
