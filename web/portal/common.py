"""What the portal's pages and API share: templates, the strict security headers, the signed
cookie that keeps an applicant's case open for an hour after they gave its query code, and the
CAPTCHA check."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape

from web.deps import settings_of
from web.portal.guard import address, guards, refuse_if
from web.security import secret_key
from workflow.config import Settings
from workflow.db import reading, simulation_of
from workflow.errors import InvalidInput
from workflow.office.settings import load_office
from workflow.timeutil import local_stamp

COOKIE = "ogi_portal"
COOKIE_AGE = 3600
# Stricter than the console's: no inline script or style, nothing from elsewhere, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["bjt"] = local_stamp


def _cn_date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


env.filters["cn_date"] = _cn_date


def harden(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    # The office's name as its admin set it (letters use the same), not the environment's
    # OGI_OFFICE_NAME, which only names the office of a new database.
    with reading(settings_of(request)) as session:
        office = load_office(session).name
    html = env.get_template(name).render(request=request, office=office, captcha_on=captcha_on(request), **ctx)
    response = HTMLResponse(html, status_code=status)
    harden(response)
    return response


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(settings), salt="ogi-portal")


def open_case(request: Request, response: Response, case_id: int) -> None:
    """Keep the case open in this browser for an hour (the code is not stored in the cookie)."""
    settings = settings_of(request)
    value = _signer(settings).dumps({"case": case_id, "csrf": secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_AGE,
        path="/public",
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
    )


def session_of(request: Request) -> dict[str, Any] | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer(settings_of(request)).loads(raw, max_age=COOKIE_AGE)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("case"), int) else None


def captcha_on(request: Request) -> bool:
    """OGI_PORTAL_CAPTCHA when set; otherwise on, except on a simulation database."""
    settings = settings_of(request)
    if settings.portal_captcha is not None:
        return settings.portal_captcha
    return not simulation_of(settings)


def new_captcha(request: Request) -> str | None:
    """A fresh challenge (None when the CAPTCHA is off); at most 60 per address in 10 minutes.

    Raises:
        HTTPException 429: too many challenges asked for from this address.
    """
    if not captcha_on(request):
        return None
    g = guards(request)
    refuse_if(g.challenges, address(request))
    g.challenges.hit(address(request))
    return g.captchas.new()


def check_captcha(request: Request, key: object, answer: object) -> None:
    """Raises: InvalidInput naming `captcha` when the CAPTCHA is on and not solved."""
    if not captcha_on(request):
        return
    if not guards(request).captchas.check(str(key or ""), str(answer or "")):
        raise InvalidInput("captcha：验证码错误或已过期，请重新输入", "portal.captcha", "captcha")
