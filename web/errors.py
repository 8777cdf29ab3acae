"""Every error as JSON that names the field and the rule; never a 500 for bad input."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused, WorkflowError

STATUS = {NotFound: 404, Forbidden: 403, InvalidInput: 422, Conflict: 409, Refused: 409}


def error_body(rule: str, message: str, field: str | None = None) -> dict[str, object]:
    return {"error": {"rule": rule, "message": message, "field": field}}


def status_of(exc: WorkflowError) -> int:
    return next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)


async def workflow_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WorkflowError)
    return JSONResponse(error_body(exc.rule, exc.message, exc.field), status_code=status_of(exc))


async def calendar_error(request: Request, exc: Exception) -> JSONResponse:
    message = str(exc)
    return JSONResponse(error_body("calendar.invalid", message, message.split(":")[0]), status_code=422)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    return JSONResponse(error_body("input.invalid", f"{field}: {first.get('msg')}", field or None), status_code=422)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    rule = {
        401: "auth.required",
        403: "role.forbidden",
        404: "not_found",
        405: "http.method",
        429: "auth.throttled",
    }.get(exc.status_code, "http.error")
    return JSONResponse(error_body(rule, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)
