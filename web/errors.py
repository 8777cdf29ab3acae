"""Every error as JSON that names the field and the rule; never a 500 for bad input."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from workflow.calendar import CalendarError
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused, WorkflowError

STATUS = {NotFound: 404, Forbidden: 403, InvalidInput: 422, Conflict: 409, Refused: 409}


class ErrorDetail(BaseModel):
    rule: str = Field(description="a stable id of the rule that refused the request, e.g. art30.correction_once")
    message: str = Field(description="what went wrong, in Chinese")
    field: str | None = Field(default=None, description="the input field at fault, when there is one")


class ErrorBody(BaseModel):
    """The body of every error response of the API."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (401, "未登录或令牌无效"),
        (403, "角色无权办理"),
        (404, "不存在"),
        (409, "规则拒绝或版本冲突"),
        (422, "输入有误（field 指明字段）"),
    )
}


def error_body(rule: str, message: str, field: str | None = None) -> dict[str, object]:
    return {"error": {"rule": rule, "message": message, "field": field}}


def status_of(exc: WorkflowError) -> int:
    return next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)


async def workflow_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WorkflowError)
    return JSONResponse(error_body(exc.rule, exc.message, exc.field), status_code=status_of(exc))


async def calendar_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CalendarError)
    return JSONResponse(error_body(exc.rule, str(exc), exc.field), status_code=422)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    return JSONResponse(error_body("input.invalid", f"{field}: {first.get('msg')}", field or None), status_code=422)


# Starlette's own answers carry the English reason phrase; these say it in Chinese.
PHRASES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权访问",
    404: "没有该地址或该记录",
    405: "该地址不支持这种打开方式（例如刷新了提交表单后的页面）",
    413: "上传内容过大",
    429: "请求过于频繁，请稍后再试",
}


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = str(exc.detail)
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = PHRASES.get(exc.status_code, "请求未能完成")
    rule = {
        401: "auth.required",
        403: "role.forbidden",
        404: "not_found",
        405: "http.method",
        429: "auth.throttled",
    }.get(exc.status_code, "http.error")
    return JSONResponse(error_body(rule, detail), status_code=exc.status_code, headers=exc.headers)
