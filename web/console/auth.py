"""The console's doors: login and logout, and the page for API tokens.

Blocking work (argon2, database writes) runs in the thread pool so one login never stalls the
event loop. The login form carries its own CSRF token (a cookie set with the form and echoed in
it): a cross-site page can neither log a victim in as someone else nor log them out. After a
login the browser goes back to the page it wanted (`next`, only ever a path on this site)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.api.auth import address_of
from web.console.common import back, render
from web.console.guard import Staff, local_path
from web.deps import check_csrf, principal, session_id_of, settings_of
from web.security import SESSION_COOKIE, SESSION_MAX_AGE
from workflow.accounts.passwords import authenticate
from workflow.accounts.sessions import end_session, open_session
from workflow.accounts.tokens import DEFAULT_DAYS, issue, revoke, token_view, tokens_of
from workflow.accounts.tokens import MAX_DAYS as MAX_TOKEN_DAYS
from workflow.db import reading, transaction
from workflow.errors import WorkflowError

LOGIN_CSRF_COOKIE = "ogi_login"
router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=token, next=local_path(next))
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


def _login_failed(request: Request, status: int, error: str, next: str, name: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html", None, status=status, error=error, login_csrf=token, next=next, username=name
    )
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
    target = local_path(str(form.get("next", "/")))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
        return _login_failed(request, 403, "登录表单已过期或来源不明，请重新输入", target, name)
    throttle = request.app.state.throttle
    address = address_of(request)
    wait = throttle.wait(name, address)
    if wait > 0:
        return _login_failed(request, 429, f"登录失败次数过多，请{int(wait // 60) + 1}分钟后再试", target, name)
    opened = await run_in_threadpool(_try_login, request, name, password, address)
    if opened is None:
        throttle.failed(name, address)
        return _login_failed(request, 401, "用户名或密码错误", target, name)
    throttle.succeeded(name, address)
    response = RedirectResponse(target, status_code=303)
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


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, who: Staff) -> Response:
    settings = settings_of(request)
    with reading(settings) as session:
        rows = [token_view(t, settings.now()) for t in tokens_of(session, None if who.has("admin") else who.name)]
    return render(request, "tokens.html", who, tokens=rows, default_days=DEFAULT_DAYS, max_days=MAX_TOKEN_DAYS)


def _tokens_form(request: Request, form: dict[str, str]) -> Response:
    who = principal(request)
    if who is None:
        return RedirectResponse("/login?next=%2Ftokens", status_code=303)
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
        request,
        "tokens.html",
        who,
        tokens=rows,
        default_days=DEFAULT_DAYS,
        max_days=MAX_TOKEN_DAYS,
        new_token=made.token,
    )


@router.post("/tokens")
async def tokens_form(request: Request) -> Response:
    form = {k: str(v)[:200] for k, v in (await request.form()).items()}
    return await run_in_threadpool(_tokens_form, request, form)
