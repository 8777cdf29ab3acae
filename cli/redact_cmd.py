"""`ogi case attach|attachments|package` and `ogi redact scan|decide|add-span|add-region|apply`."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.context import settings
from cli.output import emit_json, table
from workflow.cases.queries import find_case
from workflow.db import reading, transaction
from workflow.errors import InvalidInput
from workflow.files.attachments import attach, views_of
from workflow.letters.disclosure import build_package, write_package
from workflow.redaction import review
from workflow.redaction.detect import PRIVACY, ground_short

redact_app = typer.Typer(help="去标识化：识别、审查、生成去标识化文件", no_args_is_help=True)
STATUS_LABELS = {"pending": "待审查", "accepted": "去除", "rejected": "保留"}
GROUND_HELP = "理由：personal_privacy（第十五条，默认）或 states 中的不予公开理由代码（第十四至十六条）"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"file：无法读取文件 {path}：{exc.strerror}", "input.file", "file") from None


def attach_cmd(
    case: str,
    file: Path,
    actor: str = typer.Option(..., "--actor"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Attach a file (DOCX, XLSX, PDF, TXT, JPG, PNG) to a case."""
    s = settings()
    content = _read(file)
    with transaction(s) as session:
        att = attach(
            session, find_case(session, case).id or 0, name=file.name, content=content, actor=actor, now=s.now()
        )
        view = {
            "id": att.id,
            "case_id": att.case_id,
            "name": att.name,
            "kind": att.kind,
            "size": att.size,
            "sha256": att.sha256,
        }
    if as_json:
        emit_json(view)
    else:
        typer.echo(f"已添加附件 {view['name']}（id {view['id']}，SHA-256 {att.sha256[:16]}…）")


def attachments_cmd(case: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """List a case's attachments and their de-identified copies."""
    with reading(settings()) as session:
        views = views_of(session, find_case(session, case).id or 0)
    if as_json:
        emit_json(views)
        return
    table(
        ["id", "文件", "类型", "大小", "去标识化文件"],
        [[v["id"], v["name"], v["kind_label"], v["size"], (v["redacted"] or {}).get("name", "—")] for v in views],
    )


def package_cmd(
    case: str,
    out: Path = typer.Option(..., "--out", help="输出目录"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Write the disclosure package: answer letter, redacted attachments, redaction log, manifest."""
    s = settings()
    with reading(s) as session:
        package = build_package(session, find_case(session, case).id or 0, now=s.now())
    paths = write_package(package, out)
    if as_json:
        emit_json(package.manifest | {"dir": str(out)})
        return
    typer.echo(f"已生成 {package.case_number} 的公开材料包：{out}")
    for p in paths:
        typer.echo(f"  {p.name}")


@redact_app.command("scan")
def scan_cmd(attachment: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """List an attachment's findings (personal data) with their review status."""
    with reading(settings()) as session:
        rv = review.load_review(session, attachment)
        rows = rv.view()
        regions = rv.regions
    if as_json:
        emit_json({"attachment": attachment, "findings": rows, "regions": regions})
        return
    table(
        ["编号", "类别", "内容", "位置", "理由", "状态"],
        [
            [
                r["id"],
                r["kind_label"],
                r["text"].replace("\n", " ")[:30],
                r["label"],
                ground_short(r["ground"]),
                STATUS_LABELS[r["status"]],
            ]
            for r in rows
        ],
    )


@redact_app.command("decide")
def decide_cmd(
    attachment: int,
    findings: list[str] = typer.Argument(..., help="识别结果编号（可多个）"),
    reject: bool = typer.Option(False, "--reject/--accept", help="拒绝（不去除）或接受（去除，默认）"),
    ground: str = typer.Option(None, "--ground", help=GROUND_HELP),
    actor: str = typer.Option(..., "--actor"),
) -> None:
    """Accept or reject findings (recorded on the case's ledger)."""
    s = settings()
    decision = "reject" if reject else "accept"
    with transaction(s) as session:
        seq = review.decide(session, attachment, findings, decision, actor=actor, now=s.now(), ground=ground)
    typer.echo(f"已记录：{len(findings)} 项{'不予去除' if reject else '予以去除'}（审计事件 {seq}）")


@redact_app.command("add-span")
def add_span_cmd(
    attachment: int,
    text: str = typer.Option(..., "--text", help="要去除的文字（文件中每一处都会标注）"),
    ground: str = typer.Option(PRIVACY, "--ground", help=GROUND_HELP),
    actor: str = typer.Option(..., "--actor"),
) -> None:
    """Mark text to remove that detection missed."""
    s = settings()
    with transaction(s) as session:
        spans = review.add_span(session, attachment, text, actor=actor, now=s.now(), ground=ground)
    typer.echo(f"已标注 {len(spans)} 处：" + "、".join(f.label for f in spans))


@redact_app.command("add-region")
def add_region_cmd(
    attachment: int,
    page: int = typer.Option(1, "--page", help="页码（图像为 1）"),
    rect: str = typer.Option(..., "--rect", help="x0,y0,x1,y1（PDF 为点，图像为像素）"),
    ground: str = typer.Option(PRIVACY, "--ground", help=GROUND_HELP),
    actor: str = typer.Option(..., "--actor"),
) -> None:
    """Mark an area of a page or image to remove (scans)."""
    try:
        box = [float(v) for v in rect.split(",")]
    except ValueError:
        raise InvalidInput(f"rect：'{rect}' 应为四个数字 x0,y0,x1,y1", "redaction.rect", "rect") from None
    s = settings()
    with transaction(s) as session:
        seq = review.add_region(session, attachment, page, box, actor=actor, now=s.now(), ground=ground)
    typer.echo(f"已标注第 {page} 页区域（审计事件 {seq}）")


@redact_app.command("apply")
def apply_cmd(
    attachment: int,
    actor: str = typer.Option(..., "--actor"),
    out: Path = typer.Option(..., "--out", help="去标识化文件的保存路径"),
    accept_all: bool = typer.Option(False, "--accept-all", help="将尚未审查的识别结果全部接受（记入审计日志）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Write the de-identified copy (and keep it for the disclosure package)."""
    s = settings()
    with transaction(s) as session:
        copy, content = review.apply(session, attachment, actor=actor, now=s.now(), accept_all=accept_all)
        view = {"id": copy.id, "attachment": attachment, "sha256": copy.sha256, "removed": len(review_log(copy.log))}
    out.write_bytes(content)
    if as_json:
        emit_json(view | {"out": str(out)})
    else:
        typer.echo(f"已生成去标识化文件 {out}（去除 {view['removed']} 处，SHA-256 {copy.sha256[:16]}…）")


def review_log(log: str) -> list[object]:
    import json

    value = json.loads(log)
    return value if isinstance(value, list) else []
