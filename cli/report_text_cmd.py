"""`ogi report text ...`: what the office writes into its annual report (each section's text per
year and section 二's figures), audited."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.context import settings
from cli.output import emit_json, table
from workflow.admin.report_texts import FIGURE_ROWS, SECTIONS, load_texts, section_two, set_figures, set_text
from workflow.db import reading, transaction
from workflow.errors import InvalidInput

text_app = typer.Typer(help="年度报告正文（各部分文字、第二部分数据）", no_args_is_help=True)


@text_app.command("show")
def show_cmd(year: int = typer.Option(..., "--year"), as_json: bool = typer.Option(False, "--json")) -> None:
    """The text of each section and section 二's figures for a year."""
    with reading(settings()) as session:
        texts = load_texts(session, year)
        figures, sources = section_two(session, year)
    if as_json:
        emit_json({"year": year, "sections": texts, "figures": figures, "sources": sources})
        return
    table(["章节", "键", "内容"], [[SECTIONS[k], k, texts.get(k, "（未填写）")] for k in SECTIONS])
    typer.echo("")
    rows = [[key, f"{item} {content}", column, figures.get(key)] for key, item, content, column in FIGURE_ROWS]
    table(["键", "项目", "数据项", "数值"], [[*r[:3], "—" if r[3] is None else r[3]] for r in rows])


@text_app.command("set")
def set_cmd(
    year: int = typer.Option(..., "--year"),
    section: str = typer.Option(..., "--section", help="|".join(SECTIONS)),
    text: str = typer.Option(None, "--text", help="正文（每行一段）"),
    file: str = typer.Option(None, "--file", help="从 UTF-8 文本文件读取正文"),
    actor: str = typer.Option(..., "--actor"),
) -> None:
    """Write one section's text for a year (admin or approver; audited)."""
    if (text is None) == (file is None):
        raise InvalidInput("--text/--file：须且只能指定其中一个", "input.required", "text")
    if file is not None:
        path = Path(file)
        if not path.is_file():
            raise InvalidInput(f"--file：文件 {file} 不存在", "input.file", "file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"--file：{file} 不是 UTF-8 文本", "input.file", "file") from None
    s = settings()
    with transaction(s) as session:
        row = set_text(session, year=year, section=section, text=text or "", actor=actor, now=s.now())
    typer.echo(f"{year}年度报告“{SECTIONS[section]}”已保存（第 {row.version} 版）")


@text_app.command("figures")
def figures_cmd(
    year: int = typer.Option(..., "--year"),
    values: list[str] = typer.Option(..., "--set", help="键=值，如 normative.made=12；值留空表示清除"),
    actor: str = typer.Option(..., "--actor"),
) -> None:
    """Enter section 二's figures for a year (admin or approver; audited)."""
    parsed: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep:
            raise InvalidInput(f"--set：'{item}' 应为 键=值", "input.format", "set")
        parsed[key.strip()] = value
    s = settings()
    with transaction(s) as session:
        figures = set_figures(session, year=year, values=parsed, actor=actor, now=s.now())
    typer.echo("，".join(f"{k}={'—' if v is None else v}" for k, v in figures.items()))
