"""Attachments, de-identification and the disclosure package over HTTP: the API under /api and
two console pages (a case's attachments; one attachment's review). Handlers are sync: scanning
and redacting are CPU work, which FastAPI runs in its thread pool, off the event loop."""

from __future__ import annotations

import io
import zipfile
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from web.console import Staff, back, render
from web.deps import Principal, check_csrf, require_user, settings_of
from web.errors import ERROR_RESPONSES
from workflow.cases.queries import find_case
from workflow.db import reading, transaction
from workflow.errors import InvalidInput, WorkflowError
from workflow.files.attachments import (
    MAX_BYTES,
    attach,
    blob_bytes,
    get_attachment,
    latest_copy,
    redacted_name,
    views_of,
)
from workflow.letters.disclosure import build_package
from workflow.redaction import review
from workflow.redaction.detect import PRIVACY

api = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
console = APIRouter()
User = Annotated[Principal, Depends(require_user)]
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
FINDING_ID = r"^[0-9a-f]{16}$"
PackageFormat = Annotated[str, Query(alias="format", pattern="^(json|zip)$")]


class DecisionIn(BaseModel):
    findings: list[Annotated[str, Field(pattern=FINDING_ID)]] = Field(min_length=1, max_length=2000)
    decision: str = Field(pattern="^(accept|reject)$", description="accept（去除）| reject（保留）")
    ground: str | None = Field(default=None, max_length=40, description="默认 personal_privacy（第十五条）")


class SpanIn(BaseModel):
    text: str = Field(min_length=1, max_length=500, description="要去除的文字：文件中每一处都会标注")
    ground: str = Field(default=PRIVACY, max_length=40)


class RegionIn(BaseModel):
    page: int = Field(ge=1, le=100_000)
    rect: list[Annotated[float, Field(ge=0, le=1_000_000)]] = Field(min_length=4, max_length=4)
    ground: str = Field(default=PRIVACY, max_length=40)


class RedactIn(BaseModel):
    accept_all: bool = Field(default=False, description="将尚未审查的识别结果全部接受（记入审计日志）")


def _download(content: bytes, name: str, media_type: str) -> Response:
    disposition = f"attachment; filename=download; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def _upload(request: Request, case_id: int, who: Principal, upload: UploadFile) -> dict[str, Any]:
    content = upload.file.read(MAX_BYTES + 1)
    s = settings_of(request)
    with transaction(s) as session:
        att = attach(
            session,
            find_case(session, case_id).id or 0,
            name=upload.filename or "",
            content=content,
            actor=who.name,
            now=s.now(),
        )
        return {
            "id": att.id,
            "case_id": att.case_id,
            "name": att.name,
            "kind": att.kind,
            "size": att.size,
            "sha256": att.sha256,
        }


@api.post("/cases/{case_id}/attachments", status_code=201)
def add_attachment(
    case_id: Id,
    request: Request,
    who: User,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Attach a file (DOCX, XLSX, PDF, TXT, JPG, PNG; at most 20 MB; the type is read from the content)."""
    check_csrf(who, request.headers.get("x-csrf-token") or csrf)
    return _upload(request, case_id, who, file)


@api.get("/cases/{case_id}/attachments")
def list_attachments(case_id: Id, request: Request, who: User) -> list[dict[str, Any]]:
    with reading(settings_of(request)) as session:
        return views_of(session, find_case(session, case_id).id or 0)


@api.get("/attachments/{attachment_id}/findings")
def findings(attachment_id: Id, request: Request, who: User) -> dict[str, Any]:
    """The findings (personal data found, with the text for the reviewer), decisions and regions."""
    with reading(settings_of(request)) as session:
        rv = review.load_review(session, attachment_id)
    return {"attachment": attachment_id, "findings": rv.view(), "regions": rv.regions}


@api.post("/attachments/{attachment_id}/decisions", status_code=201)
def decide(attachment_id: Id, body: DecisionIn, request: Request, who: User) -> dict[str, Any]:
    """Accept (remove) or reject (keep) findings; recorded on the case's ledger."""
    check_csrf(who, request.headers.get("x-csrf-token"))
    s = settings_of(request)
    with transaction(s) as session:
        seq = review.decide(
            session, attachment_id, body.findings, body.decision, actor=who.name, now=s.now(), ground=body.ground
        )
    return {"event_seq": seq}


@api.post("/attachments/{attachment_id}/spans", status_code=201)
def add_span(attachment_id: Id, body: SpanIn, request: Request, who: User) -> dict[str, Any]:
    check_csrf(who, request.headers.get("x-csrf-token"))
    s = settings_of(request)
    with transaction(s) as session:
        spans = review.add_span(session, attachment_id, body.text, actor=who.name, now=s.now(), ground=body.ground)
    return {"spans": [f.view() for f in spans]}


@api.post("/attachments/{attachment_id}/regions", status_code=201)
def add_region(attachment_id: Id, body: RegionIn, request: Request, who: User) -> dict[str, Any]:
    check_csrf(who, request.headers.get("x-csrf-token"))
    s = settings_of(request)
    with transaction(s) as session:
        seq = review.add_region(
            session, attachment_id, body.page, body.rect, actor=who.name, now=s.now(), ground=body.ground
        )
    return {"event_seq": seq}


@api.post("/attachments/{attachment_id}/redact", status_code=201)
def redact(attachment_id: Id, body: RedactIn, request: Request, who: User) -> dict[str, Any]:
    """Make and keep the de-identified copy (refused while findings are pending, unless accept_all)."""
    check_csrf(who, request.headers.get("x-csrf-token"))
    s = settings_of(request)
    with transaction(s) as session:
        copy, _ = review.apply(session, attachment_id, actor=who.name, now=s.now(), accept_all=body.accept_all)
        return {"id": copy.id, "attachment": attachment_id, "sha256": copy.sha256}


@api.get("/attachments/{attachment_id}/{which}")
def attachment_file(
    attachment_id: Id, which: Annotated[str, PathParam(pattern="^(original|redacted)$")], request: Request, who: User
) -> Response:
    """The file as attached (`original`) or its latest de-identified copy (`redacted`)."""
    with reading(settings_of(request)) as session:
        att = get_attachment(session, attachment_id)
        if which == "original":
            return _download(blob_bytes(session, att.sha256), att.name, att.media_type)
        copy = latest_copy(session, attachment_id)
        if copy is None:
            raise InvalidInput("which：该附件尚未生成去标识化文件", "attachment.not_redacted", "which")
        return _download(blob_bytes(session, copy.sha256), redacted_name(att), att.media_type)


@api.get("/cases/{case_id}/package")
def package(case_id: Id, request: Request, who: User, fmt: PackageFormat = "json") -> Response:
    """The disclosure package: its manifest (`json`) or every file and manifest.json in a `zip`."""
    s = settings_of(request)
    with reading(s) as session:
        pkg = build_package(session, find_case(session, case_id).id or 0, now=s.now())
    if fmt == "json":
        return Response(pkg.manifest_bytes(), media_type="application/json")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in pkg.files:
            z.writestr(f.name, f.content)
        z.writestr("manifest.json", pkg.manifest_bytes())
    return _download(buf.getvalue(), f"{pkg.case_number}公开材料.zip", "application/zip")


# ---- console pages


@console.get("/cases/{case_id}/attachments", response_class=HTMLResponse)
def attachments_page(request: Request, who: Staff, case_id: Id, error: str = "") -> Response:
    with reading(settings_of(request)) as session:
        case = find_case(session, case_id)
        views = views_of(session, case.id or 0)
    return render(request, "attachments.html", who, case=case, attachments=views, error=error)


@console.post("/cases/{case_id}/attachments")
def attachments_upload(
    request: Request, who: Staff, case_id: Id, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(who, csrf)
    try:
        view = _upload(request, case_id, who, file)
    except WorkflowError as exc:
        return back(who, settings_of(request), f"/cases/{case_id}/attachments", err=str(exc))
    return back(
        who, settings_of(request), f"/attachments/{view['id']}", msg=f"已添加附件 {view['name']}，请审查识别结果"
    )


@console.get("/attachments/{attachment_id}", response_class=HTMLResponse)
def review_page(request: Request, who: Staff, attachment_id: Id) -> Response:
    with reading(settings_of(request)) as session:
        rv = review.load_review(session, attachment_id)
        copy = latest_copy(session, attachment_id)
    return render(
        request,
        "attachment_review.html",
        who,
        att=rv.attachment,
        findings=rv.view(),
        regions=rv.regions,
        copy=copy,
        redacted_name=redacted_name(rv.attachment),
    )


@console.post("/attachments/{attachment_id}/review")
def review_post(
    request: Request,
    who: Staff,
    attachment_id: Id,
    csrf: Annotated[str, Form()] = "",
    op: Annotated[str, Form()] = "",
    accept: Annotated[list[str] | None, Form()] = None,
    reject: Annotated[list[str] | None, Form()] = None,
    text: Annotated[str, Form()] = "",
    page: Annotated[int, Form()] = 1,
    rect: Annotated[str, Form()] = "",
) -> Response:
    """One form, several buttons (op): decide, span, region, redact, redact_all."""
    check_csrf(who, csrf)
    s, url = settings_of(request), f"/attachments/{attachment_id}"
    try:
        with transaction(s) as session:
            msg = _review_op(
                session, attachment_id, who.name, s.now(), op, accept or [], reject or [], text, page, rect
            )
    except (WorkflowError, ValueError) as exc:
        return back(who, s, url, err=str(exc))
    return back(who, s, url, msg=msg)


def _review_op(
    session: Any,
    aid: int,
    actor: str,
    now: Any,
    op: str,
    accept: list[str],
    reject: list[str],
    text: str,
    page: int,
    rect: str,
) -> str:
    if op == "decide":
        for decision, ids in (("accept", accept), ("reject", reject)):
            if ids:
                review.decide(session, aid, ids, decision, actor=actor, now=now)
        return f"已记录审查决定：去除 {len(accept)} 项，保留 {len(reject)} 项"
    if op == "span":
        return f"已标注 {len(review.add_span(session, aid, text[:500], actor=actor, now=now))} 处"
    if op == "region":
        review.add_region(session, aid, page, [float(v) for v in rect.split(",")], actor=actor, now=now)
        return f"已标注第 {page} 页区域"
    if op in ("redact", "redact_all"):
        copy, _ = review.apply(session, aid, actor=actor, now=now, accept_all=op == "redact_all")
        return f"已生成去标识化文件（SHA-256 {copy.sha256[:16]}…）"
    raise InvalidInput("op：未知的操作", "input.op", "op")
