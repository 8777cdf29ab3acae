"""Request-scoped access: who is asking (session cookie or bearer token) and what they may see."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request

from states.labels import role_label
from web.security import SESSION_COOKIE, Sessions
from workflow.accounts.sessions import live_session, touch
from workflow.accounts.tokens import resolve
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import Forbidden
from workflow.models import User

STAFF_ROLES = frozenset({"registrar", "handler", "reviewer", "approver", "auditor", "admin"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    name: str
    roles: frozenset[str]
    department: str | None
    via_cookie: bool
    csrf: str = ""
    session_id: int = 0  # the console session's row (flash messages); 0 for bearer clients
    flash: str | None = None
    scope: str = "write"  # a bearer token's scope

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def session_id_of(request: Request) -> str | None:
    """The session id inside the (signed) cookie, or None."""
    sessions: Sessions = request.app.state.sessions
    data = sessions.load(request.cookies.get(SESSION_COOKIE))
    sid = data.get("sid") if data else None
    return sid if isinstance(sid, str) and sid else None


def _from_user(user: User, via_cookie: bool, csrf: str = "") -> Principal:
    return Principal(user.name, user.role_set(), user.department, via_cookie, csrf)


def principal(request: Request) -> Principal | None:
    """The logged-in user, or None: a live server-side session or a live token of an active user."""
    settings = settings_of(request)
    now = settings.now()
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        with reading(settings) as session:
            found = resolve(session, auth[7:].strip()[:200], now)
        if found is None:
            return None
        user, scope = found
        return Principal(user.name, user.role_set(), user.department, False, scope=scope)
    sid = session_id_of(request)
    if sid is None:
        return None
    with reading(settings) as session:
        live = live_session(session, sid, now)
    if live is None:
        return None
    if live.stale:
        with transaction(settings) as session:
            touch(session, live.row_id, now)
    user = live.user
    return Principal(user.name, user.role_set(), user.department, True, live.csrf, live.row_id, live.flash)


def require_user(request: Request) -> Principal:
    who = principal(request)
    if who is None:
        raise HTTPException(401, "请先登录", headers={"WWW-Authenticate": "Bearer"})
    if who.scope == "read" and request.method not in SAFE_METHODS:
        raise Forbidden("此令牌只能读取（scope=read），不能办理或修改", "token.scope", "authorization")
    return who


def require_roles(who: Principal, *roles: str) -> None:
    if not who.has(*roles):
        names = role_label(",".join(roles))
        raise Forbidden(f"用户“{who.name}”无权使用此功能，须由以下角色办理：{names}", "role.forbidden", "actor")


def check_csrf(who: Principal, token: str | None) -> None:
    """Cookie sessions must echo their CSRF token on every change; bearer clients need not."""
    if who.via_cookie and not (token and secrets.compare_digest(token, who.csrf)):
        raise Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试", "csrf.invalid", "csrf")
