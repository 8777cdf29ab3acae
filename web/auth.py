"""The doors: console login and logout, and API tokens (console page and API).

Blocking work (argon2, database writes) runs in the thread pool so one login never stalls the
event loop. The login form carries its own CSRF token (a cookie set with the form and echoed in
it): a cross-site page can neither log a victim in as someone else nor log them out."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from web.deps import Principal, check_csrf, principal, require_user, session_id_of, settings_of
from web.errors import ERROR_RESPONSES
from web.security import SESSION_COOKIE, SESSION_MAX_AGE, client_address
from workflow.db import reading, transaction
from workflow.passwords import authenticate
from workflow.sessions import end_session, open_session
from workflow.tokens import DEFAULT_DAYS, MAX_DAYS, issue, revoke, token_view, tokens_of

LOGIN_CSRF_COOKIE = "ogi_login"
router = APIRouter()
api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def address_of(request: Request) -> str:
    nets = request.app.state.trusted_proxies
    return client_address(request.client.host if request.client else None, request.headers.get("x-forwarded-for"), nets)


def _page(request: Request, name: str, who: Principal | None, status: int = 200, **ctx: Any) -> HTMLResponse:
    from web.console import render

    return render(request, name, who, status, **ctx)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = _page(request, "login.html", None, login_csrf=token)
    _set_login_cookie(request, response, token)
    return response


def _set_login_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=settings_of(request).cookie_secure,
    )


def _login_failed(request: Request, status: int, error: str) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", None, status=status, error=error, login_csrf=token)
    _set_login_cookie(request, response, token)
    return response


def _try_login(request: Request, name: str, password: str, address: str) -> tuple[str, str] | None:
    """(session id, user name) after a good password, else None; one argon2 verification either way."""
    settings = settings_of(request)
    with reading(settings) as session:
        user = authenticate(session, name, password)
    if user is None:
        return None
    with transaction(settings) as session:
        opened = open_session(session, user.name, settings.now(), address)
    return opened.sid, user.name


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("username", ""))[:64], str(form.get("password", ""))[:200]
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
        return _login_failed(request, 403, "登录表单已过期或来源不明，请重新输入")
    throttle = request.app.state.throttle
    address = address_of(request)
    wait = throttle.wait(name, address)
    if wait > 0:
        return _login_failed(request, 429, f"登录失败次数过多，请{int(wait // 60) + 1}分钟后再试")
    opened = await run_in_threadpool(_try_login, request, name, password, address)
    if opened is None:
        throttle.failed(name, address)
        return _login_failed(request, 401, "用户名或密码错误")
    throttle.succeeded(name, address)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.sessions.dump({"sid": opened[0]}),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=settings_of(request).cookie_secure,
    )
    return response


def _logout(request: Request, csrf: str) -> Response:
    who = principal(request)
    sid = session_id_of(request)
    if who is not None and sid is not None:
        check_csrf(who, csrf)
        settings = settings_of(request)
        with transaction(settings) as session:
            end_session(session, sid, settings.now())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_logout, request, str(form.get("csrf", ""))[:100])


# --- API tokens: the console page -------------------------------------------------------------


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, issued: str = "") -> Response:
    who = principal(request)
    if who is None:
        return RedirectResponse("/login", status_code=303)
    settings = settings_of(request)
    with reading(settings) as session:
        rows = [token_view(t, settings.now()) for t in tokens_of(session, None if who.has("admin") else who.name)]
    return _page(request, "tokens.html", who, tokens=rows, default_days=DEFAULT_DAYS, max_days=MAX_DAYS)


def _tokens_form(request: Request, form: dict[str, str]) -> Response:
    from web.console import back, render
    from workflow.errors import WorkflowError

    who = principal(request)
    if who is None:
        return RedirectResponse("/login", status_code=303)
    check_csrf(who, form.get("csrf"))
    settings = settings_of(request)
    revoking = form.get("revoke", "")
    try:
        with transaction(settings) as session:
            if revoking:
                revoke(session, int(revoking) if revoking.isdigit() else 0, actor=who.name, now=settings.now())
                made = None
            else:
                days = int(form.get("days") or DEFAULT_DAYS) if (form.get("days") or "0").isdigit() else -1
                made = issue(
                    session,
                    user=who.name,
                    actor=who.name,
                    now=settings.now(),
                    name=form.get("name", ""),
                    scope=form.get("scope", "read"),
                    days=days,
                )
    except WorkflowError as exc:
        return back(who, settings, "/tokens", err=str(exc))
    if made is None:
        return back(who, settings, "/tokens", msg="令牌已吊销")
    with reading(settings) as session:
        rows = [token_view(t, settings.now()) for t in tokens_of(session, None if who.has("admin") else who.name)]
    # the new token is shown on this answer only, never stored or put in a redirect
    return render(
        request, "tokens.html", who, tokens=rows, default_days=DEFAULT_DAYS, max_days=MAX_DAYS, new_token=made.token
    )


@router.post("/tokens")
async def tokens_form(request: Request) -> Response:
    form = {k: str(v)[:200] for k, v in (await request.form()).items()}
    return await run_in_threadpool(_tokens_form, request, form)


# --- API tokens: the API ----------------------------------------------------------------------


class TokenIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    label: str = Field(default="", max_length=100, description="the token's name")
    scope: str = Field(default="write", pattern="^(read|write)$")
    days: int = Field(default=DEFAULT_DAYS, ge=1, le=MAX_DAYS, description="valid for this many days")


class TokenView(BaseModel):
    id: int
    user: str
    name: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    status: str = Field(description="active | expired | revoked")


@api_router.post("/tokens", status_code=201)
def create_token(body: TokenIn, request: Request) -> dict[str, Any]:
    """Exchange a username and password for a bearer token (shown once), with a name, a scope and an expiry."""
    settings = settings_of(request)
    throttle = request.app.state.throttle
    address = address_of(request)
    if throttle.blocked(body.username, address):
        raise HTTPException(429, "登录失败次数过多，请稍后再试")
    with reading(settings) as session:
        user = authenticate(session, body.username, body.password)
    if user is None:
        throttle.failed(body.username, address)
        raise HTTPException(401, "用户名或密码错误")
    throttle.succeeded(body.username, address)
    with transaction(settings) as session:
        made = issue(
            session,
            user=user.name,
            actor=user.name,
            now=settings.now(),
            name=body.label,
            scope=body.scope,
            days=body.days,
        )
        view = token_view(made.row, settings.now())
    return {"token": made.token, "token_type": "bearer", **view}


@api_router.get("/tokens")
def list_tokens(request: Request, who: Annotated[Principal, Depends(require_user)]) -> list[TokenView]:
    """Your tokens (an admin sees everyone's); never the tokens themselves."""
    settings = settings_of(request)
    with reading(settings) as session:
        rows = tokens_of(session, None if who.has("admin") else who.name)
        return [TokenView(**token_view(t, settings.now())) for t in rows]


@api_router.delete("/tokens/{token_id}")
def revoke_token(
    request: Request,
    who: Annotated[Principal, Depends(require_user)],
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> TokenView:
    """Revoke one token (its owner or an admin); audited."""
    settings = settings_of(request)
    with transaction(settings) as session:
        row = revoke(session, token_id, actor=who.name, now=settings.now())
        return TokenView(**token_view(row, settings.now()))


__all__ = ["api_router", "router"]
