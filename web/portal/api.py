"""The portal's JSON API under /public/api: file an application, follow it with the tracking
number and query code, download the letters addressed to the applicant, act online. No staff
login; a CAPTCHA (unless OGI_PORTAL_CAPTCHA=off) and throttles per address and per number."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response

from web.deps import settings_of
from web.errors import ERROR_RESPONSES, ErrorBody
from web.portal.common import check_captcha, harden, new_captcha
from web.portal.guard import address, guards, refuse_if
from workflow.errors import InvalidInput, NotFound
from workflow.letters.word import DOCX_MEDIA_TYPE
from workflow.portal import service
from workflow.portal.codes import number_key
from workflow.portal.form import parse_application
from workflow.portal.uploads import Upload, check_uploads
from workflow.portal.view import open_letter, status

THROTTLED_RESPONSE: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "尝试次数过多（按地址和受理编号限流）"}
}
router = APIRouter(prefix="/public/api", tags=["portal"], responses={**ERROR_RESPONSES, **THROTTLED_RESPONSE})
Number = Annotated[str, PathParam(min_length=1, max_length=60)]
LetterId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Code = Annotated[str, Query(min_length=1, max_length=64)]
JsonBody = Annotated[dict[str, Any], Body()]
FORMATS = {"docx": DOCX_MEDIA_TYPE, "html": "text/html; charset=utf-8"}


def _json(data: Any, status_code: int = 200) -> JSONResponse:
    from fastapi.encoders import jsonable_encoder

    response = JSONResponse(jsonable_encoder(data), status_code=status_code)
    harden(response)
    return response


def decode_attachments(raw: object, field: str = "attachments") -> list[Upload]:
    """[{"filename": ..., "content_base64": ...}] as checked uploads.

    Raises:
        InvalidInput: not a list of such objects, bad base64, or a file refused by content or size.
    """
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        raise InvalidInput(f"{field}：应为附件列表", "portal.upload_format", field)
    files: list[tuple[str, bytes]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidInput(f"{field}：每个附件应含 filename 和 content_base64", "portal.upload_format", field)
        try:
            content = base64.b64decode(str(item.get("content_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(f"{field}：附件内容不是有效的 base64", "portal.upload_format", field) from None
        files.append((str(item.get("filename") or "附件"), content))
    return check_uploads(files, field)


def case_for(request: Request, number: str, code: str) -> int:
    """The case behind a number and code; failures are throttled per address and per number.

    Raises:
        HTTPException 429 (throttled), NotFound (the same for an unknown number and a wrong code).
    """
    g, addr, key = guards(request), address(request), number_key(number)
    refuse_if(g.lookups, addr)
    refuse_if(g.per_number, key)
    try:
        return service.authenticate(settings_of(request), number, code)
    except NotFound:
        g.lookups.hit(addr)
        g.per_number.hit(key)
        raise


@router.get("/captcha", summary="A CAPTCHA challenge for the next application")
def captcha(request: Request) -> JSONResponse:
    key = new_captcha(request)
    if key is None:
        return _json({"required": False})
    return _json(
        {"required": True, "id": key, "image": f"/public/captcha/{key}.png", "audio": f"/public/captcha/{key}.wav"}
    )


@router.post("/applications", status_code=201, summary="File an application (Art. 29)")
def apply(request: Request, body: JsonBody) -> JSONResponse:
    g = guards(request)
    refuse_if(g.applications, address(request))
    g.applications.hit(address(request))
    check_captcha(request, body.get("captcha_id"), body.get("captcha_answer"))
    app = parse_application(body)
    uploads = decode_attachments(body.get("attachments"))
    filed = service.file_application(settings_of(request), app, uploads)
    return _json(
        {
            "number": filed.number,
            "query_code": filed.query_code,
            "submitted_on": filed.submitted_on,
            "state": "received",
            "note": "请妥善保存受理编号和查询码；查询码只显示这一次",
        },
        201,
    )


@router.get("/applications/{number}", summary="The applicant's view of the case")
def follow(request: Request, number: Number, code: Code) -> JSONResponse:
    return _json(status(settings_of(request), case_for(request, number, code)))


@router.get("/applications/{number}/letters/{letter_id}", summary="A letter addressed to the applicant")
def letter(
    request: Request, number: Number, letter_id: LetterId, code: Code, format: Annotated[str, Query()] = "docx"
) -> Response:
    if format not in FORMATS:
        raise InvalidInput("format：应为 docx 或 html", "portal.letter_format", "format")
    case_id = case_for(request, number, code)
    found, content, _ = open_letter(settings_of(request), case_id, letter_id, format)
    filename = f"{found.number}.{format}"
    response = Response(content, media_type=FORMATS[format])
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return harden(response)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _act(request: Request, number: str, body: dict[str, Any]) -> int:
    g = guards(request)
    refuse_if(g.acts, address(request))
    g.acts.hit(address(request))
    return case_for(request, number, str(body.get("code") or ""))


@router.post("/applications/{number}/correction", summary="Reply to a correction notice (Art. 30)")
def correction(request: Request, number: Number, body: JsonBody) -> JSONResponse:
    case_id = _act(request, number, body)
    uploads = decode_attachments(body.get("attachments"))
    service.reply_correction(settings_of(request), case_id, str(body.get("text") or ""), uploads)
    return _json(status(settings_of(request), case_id))


@router.post("/applications/{number}/reasons", summary="Give reasons when asked (Art. 35)")
def reasons(request: Request, number: Number, body: JsonBody) -> JSONResponse:
    case_id = _act(request, number, body)
    service.give_reasons(settings_of(request), case_id, str(body.get("text") or ""))
    return _json(status(settings_of(request), case_id))


@router.post("/applications/{number}/payment", summary="Confirm a fee payment with its receipt")
def payment(request: Request, number: Number, body: JsonBody) -> JSONResponse:
    case_id = _act(request, number, body)
    try:
        paid_on = date.fromisoformat(str(body.get("paid_on") or ""))
    except ValueError:
        raise InvalidInput("paid_on：缴费日期应为 YYYY-MM-DD", "input.date", "paid_on") from None
    uploads = decode_attachments(body.get("receipt"), "receipt")
    service.confirm_payment(settings_of(request), case_id, paid_on, uploads)
    return _json(status(settings_of(request), case_id))


@router.post("/applications/{number}/withdrawal", summary="Withdraw the application")
def withdrawal(request: Request, number: Number, body: JsonBody) -> JSONResponse:
    case_id = _act(request, number, body)
    service.withdraw(settings_of(request), case_id, str(body.get("reason") or ""))
    return _json(status(settings_of(request), case_id))
