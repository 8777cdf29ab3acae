"""The portal's pages under /public/: the application form, the receipt (回执), finding a case by
tracking number and query code, the case page with the applicant's online acts, and the letters.
Forms are read here and the work runs in a thread (no blocking on the event loop)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from states import DEFAULT_RULEBOOK
from web.deps import settings_of
from web.portal.api import case_for
from web.portal.common import COOKIE, check_captcha, harden, new_captcha, open_case, page, session_of
from web.portal.guard import address, guards, refuse_if
from workflow.cases.applicants import KIND_LABELS
from workflow.errors import InvalidInput, NotFound, WorkflowError
from workflow.portal import service
from workflow.portal.form import FORMS, SERVICE_METHODS, parse_application
from workflow.portal.uploads import MAX_BYTES, MAX_FILES, Upload, check_uploads
from workflow.portal.view import open_letter, status
from workflow.timeutil import local_date

router = APIRouter(prefix="/public", include_in_schema=False)
STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {"portal.css": "text/css; charset=utf-8", "portal.js": "text/javascript; charset=utf-8"}
MAX_REQUEST = MAX_FILES * MAX_BYTES + 2 * 1024 * 1024
LetterId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
ACT_DONE = {
    "correction": "已提交补正，答复期限自今日起重新计算",
    "reasons": "已提交理由说明，工作人员将据此办理",
    "payment": "已提交缴费凭证",
    "withdraw": "已撤回申请",
}


def _choices() -> dict[str, Any]:
    return {"kinds": KIND_LABELS, "methods": SERVICE_METHODS, "forms": FORMS}


async def _form(request: Request) -> FormData:
    if int(request.headers.get("content-length") or 0) > MAX_REQUEST:
        raise HTTPException(413, "上传内容过大：每个附件不超过10MB，最多5个")
    return await request.form(max_files=MAX_FILES + 1, max_fields=40)


async def _files(form: FormData, name: str) -> list[tuple[str, bytes]]:
    """The uploaded files' names and bytes (at most 10 MB + 1 byte read of each); closes the form."""
    out = []
    try:
        for item in form.getlist(name):
            if isinstance(item, UploadFile) and (item.filename or item.size):
                content = await item.read(MAX_BYTES + 1)
                out.append((item.filename or "附件", content))
    finally:
        await form.close()
    return out


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC_TYPES:
        raise HTTPException(404, "没有该文件")
    response = Response((STATIC / name).read_bytes(), media_type=STATIC_TYPES[name])
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.get("/captcha/{key}.{ext}")
def captcha_file(request: Request, key: str, ext: str) -> Response:
    store = guards(request).captchas
    content = store.image(key) if ext == "png" else store.audio(key) if ext == "wav" else None
    if content is None:
        raise HTTPException(404, "验证码已过期，请刷新页面")
    return harden(Response(content, media_type="image/png" if ext == "png" else "audio/wav"))


@router.get("/")
def apply_form(request: Request) -> Response:
    return page(request, "apply.html", values={}, error=None, captcha=new_captcha(request), **_choices())


@router.post("/apply")
async def apply(request: Request) -> Response:
    g = guards(request)
    refuse_if(g.applications, address(request))
    g.applications.hit(address(request))
    form = await _form(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    data: dict[str, Any] = {
        **values,
        "contact": {k: values.get(f"contact_{k}", "") for k in ("phone", "email", "address")},
    }
    files = await _files(form, "attachments")
    try:
        check_captcha(request, values.get("captcha_id"), values.get("captcha_answer"))
        app = parse_application(data)
        uploads = check_uploads(files)
        filed = await run_in_threadpool(service.file_application, settings_of(request), app, uploads)
    except InvalidInput as exc:
        values.pop("captcha_answer", None)
        return page(request, "apply.html", 422, values=values, error=exc, captcha=new_captcha(request), **_choices())
    receipt = {
        "number": filed.number,
        "code": filed.query_code,
        "submitted_on": filed.submitted_on,
        "applicant": app.applicant,
        "request": app.request,
        "method": SERVICE_METHODS[app.service_method],
        "form": FORMS[app.form],
        "attachments": [u.filename for u in uploads],
    }
    return page(request, "receipt.html", 201, receipt=receipt)


@router.get("/track")
def track_form(request: Request) -> Response:
    return page(request, "track.html", error=None, number="")


@router.post("/track")
async def track(request: Request) -> Response:
    form = await _form(request)
    number, code = str(form.get("number") or "").strip(), str(form.get("code") or "").strip()
    await form.close()
    try:
        case_id = await run_in_threadpool(case_for, request, number, code)
    except NotFound as exc:
        return page(request, "track.html", 404, error=exc.message, number=number)
    response = RedirectResponse("/public/case", status_code=303)
    open_case(request, response, case_id)
    return response


def _current(request: Request) -> dict[str, Any] | None:
    return session_of(request)


@router.get("/case")
def case_page(request: Request) -> Response:
    current = _current(request)
    if current is None:
        return RedirectResponse("/public/track", status_code=303)
    view = status(settings_of(request), int(current["case"]))
    return page(
        request,
        "case.html",
        view=view,
        csrf=current["csrf"],
        msg=request.query_params.get("msg", ""),
        err=request.query_params.get("err", ""),
        today=local_date(settings_of(request).now()),
        delivery_days=DEFAULT_RULEBOOK.delivery_confirm_days,
    )


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/public/track", status_code=303)
    response.delete_cookie(COOKIE, path="/public")
    return response


def _run_act(request: Request, case_id: int, act: str, form: dict[str, str], uploads: list[Upload]) -> None:
    settings = settings_of(request)
    if act == "correction":
        service.reply_correction(settings, case_id, form.get("text", ""), uploads)
    elif act == "reasons":
        service.give_reasons(settings, case_id, form.get("text", ""))
    elif act == "payment":
        try:
            paid_on = date.fromisoformat(form.get("paid_on", ""))
        except ValueError:
            raise InvalidInput("paid_on：请填写缴费日期", "input.date", "paid_on") from None
        service.confirm_payment(settings, case_id, paid_on, uploads)
    elif act == "withdraw":
        service.withdraw(settings, case_id, form.get("reason", ""))
    else:
        raise HTTPException(404, "没有该操作")


@router.post("/case/{act}")
async def case_act(request: Request, act: str) -> Response:
    current = _current(request)
    if current is None:
        return RedirectResponse("/public/track", status_code=303)
    g = guards(request)
    refuse_if(g.acts, address(request))
    g.acts.hit(address(request))
    form = await _form(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    files = await _files(form, "files")
    if not secrets.compare_digest(values.get("csrf", ""), str(current["csrf"])):
        return RedirectResponse("/public/case?err=" + quote("页面已过期，请刷新后重试"), status_code=303)
    try:
        uploads = check_uploads(files, "files")
        await run_in_threadpool(_run_act, request, int(current["case"]), act, values, uploads)
    except WorkflowError as exc:
        return RedirectResponse("/public/case?err=" + quote(exc.message), status_code=303)
    return RedirectResponse("/public/case?msg=" + quote(ACT_DONE.get(act, "已提交")), status_code=303)


@router.get("/case/letters/{letter_id}")
def case_letter(request: Request, letter_id: LetterId, view: bool = False) -> Response:
    current = _current(request)
    if current is None:
        return RedirectResponse("/public/track", status_code=303)
    fmt = "html" if view else "docx"
    letter, content, _ = open_letter(settings_of(request), int(current["case"]), letter_id, fmt)
    if view:
        response = Response(content, media_type="text/html; charset=utf-8")
        harden(response)
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        return response
    response = Response(content, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(letter.number + '.docx')}"
    return harden(response)
