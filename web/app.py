"""The FastAPI application: the console at /, the API at /api (reference at /docs, OpenAPI at
/openapi.json), static files served locally (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from web import console, health, portal
from web.api import attachments as attachments_web
from web.api import auth
from web.api import cases as api
from web.api import docs as apidocs
from web.api import notifications as notifications_api
from web.api import registry as registry_api
from web.api import reports as reports_api
from web.console import annual_text
from web.console import registry as registry_console
from web.console.errors import page_or_json
from web.console.guard import LoginRequired, login_redirect
from web.errors import calendar_error, http_error, validation_error, workflow_error
from web.hygiene import InputHygiene
from web.public import catalogue
from web.request_ids import RequestIds
from web.security import LoginThrottle, Sessions, parse_networks, secret_key
from workflow.calendar import CalendarError
from workflow.config import Settings
from workflow.errors import WorkflowError


async def _to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return login_redirect(exc.target)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="ogi-workflow API",
        version="1.0",
        description="政府信息依申请公开办理系统 — 案件、办理动作、文书、期限、审计。",
        docs_url=None,  # Swagger UI and ReDoc load from CDNs: web/api/docs.py serves /docs locally
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessions = Sessions(secret_key(settings))
    app.state.throttle = LoginThrottle()
    app.state.trusted_proxies = parse_networks(settings.trusted_proxies)
    # JSON under /api; a console page in Chinese everywhere else (web/console/errors.py)
    app.add_exception_handler(WorkflowError, page_or_json(workflow_error))
    app.add_exception_handler(CalendarError, page_or_json(calendar_error))
    app.add_exception_handler(RequestValidationError, page_or_json(validation_error))
    app.add_exception_handler(StarletteHTTPException, page_or_json(http_error))
    app.add_exception_handler(LoginRequired, _to_login)
    app.include_router(auth.api_router)
    app.include_router(api.router)
    app.include_router(reports_api.router)
    app.include_router(notifications_api.router)
    app.include_router(console.router, include_in_schema=False)
    app.include_router(annual_text.router, include_in_schema=False)
    app.include_router(attachments_web.api)
    app.include_router(attachments_web.console, include_in_schema=False)
    app.include_router(health.router)
    app.include_router(registry_api.router)
    app.include_router(registry_console.router, include_in_schema=False)
    app.include_router(catalogue.router, include_in_schema=False)
    app.include_router(apidocs.router)
    app.include_router(portal.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        if not request.url.path.startswith("/static/"):
            # Pages and answers carry personal data (identity numbers): never kept by a cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(InputHygiene)  # bad bytes are refused before anything reads them
    app.add_middleware(RequestIds)  # outermost: even a refusal at the door has an id in the logs

    return app
