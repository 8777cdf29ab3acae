"""Errors outside the API as console pages: the same status and Chinese message the API would
give as JSON, on a page with a way on (back to the form, the case, the work queue, or the login
page that returns here). Under /api (and the portal's JSON and health check) errors stay JSON."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from web.console.common import render
from web.console.guard import local_path, login_url, target_of
from web.deps import principal

JSON_PREFIXES = ("/api/", "/public/", "/healthz", "/openapi.json", "/docs")
TITLES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权办理",
    404: "没有找到",
    405: "不能这样打开此地址",
    409: "未能办理",
    413: "内容过大",
    422: "填写有误",
    429: "请求过于频繁",
}
Handler = Callable[[Request, Exception], Awaitable[Response]]


def wants_page(request: Request) -> bool:
    path = request.url.path
    return not (path == "/api" or path.startswith(JSON_PREFIXES))


def _back_link(request: Request) -> str:
    """Where the user came from on this site (the form they posted), else the work queue."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return "/"
    return local_path(referer.path + (f"?{referer.query}" if referer.query else ""))


def _case_link(request: Request) -> str | None:
    """The case page for any address under /cases/{id}/…"""
    parts = request.url.path.split("/")
    return f"/cases/{parts[2]}" if len(parts) > 3 and parts[1] == "cases" and parts[2].isdigit() else None


def _page(request: Request, status: int, message: str, rule: str) -> Response:
    who = principal(request)
    if rule == "input.invalid":  # the validator's own words are English and name a parameter
        message = "地址或表单中有一项格式不正确（例如编号应为数字、日期应为 YYYY-MM-DD），请检查后重试"
    return render(
        request,
        "error.html",
        who,
        status=status,
        title=TITLES.get(status, "出错了"),
        error=message,
        csrf_expired=rule == "csrf.invalid",
        login=login_url(target_of(request)) if who is None or status == 401 else "",
        back=_back_link(request),
        case_link=_case_link(request),
    )


def page_or_json(handler: Handler) -> Handler:
    """`handler` (an API error handler answering JSON) for the API; a console page elsewhere."""

    async def answer(request: Request, exc: Exception) -> Response:
        response = await handler(request, exc)
        if not wants_page(request):
            return response
        body = json.loads(bytes(response.body)).get("error", {})
        page = await run_in_threadpool(
            _page, request, response.status_code, str(body.get("message", "")), str(body.get("rule", ""))
        )
        for name in ("retry-after", "allow"):
            if name in response.headers:
                page.headers[name] = response.headers[name]
        return page

    return answer
