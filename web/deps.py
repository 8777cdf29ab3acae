"""Request-scoped access: who is asking (session cookie or bearer token) and what they may see."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request

from web.security import SESSION_COOKIE, Sessions
from workflow.config import Settings
from workflow.db import reading
from workflow.errors import Forbidden
from workflow.models import User
from workflow.passwords import user_for_token
from workflow.users import get_user

STAFF_ROLES = frozenset({"registrar", "handler", "reviewer", "approver", "auditor", "admin"})


@dataclass(frozen=True)
class Principal:
    name: str
    roles: frozenset[str]
    department: str | None
    via_cookie: bool
    csrf: str = ""

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _from_user(user: User, via_cookie: bool, csrf: str = "") -> Principal:
    return Principal(user.name, user.role_set(), user.department, via_cookie, csrf)


def principal(request: Request) -> Principal | None:
    """The logged-in user, or None."""
    settings = settings_of(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        with reading(settings) as session:
            user = user_for_token(session, auth[7:].strip())
        return _from_user(user, False) if user else None
    sessions: Sessions = request.app.state.sessions
    data = sessions.load(request.cookies.get(SESSION_COOKIE))
    if not data or "user" not in data:
        return None
    with reading(settings) as session:
        try:
            user = get_user(session, str(data["user"]))
        except Exception:  # noqa: BLE001 - a deleted or deactivated user is simply logged out
            return None
    return _from_user(user, True, str(data.get("csrf", "")))


def require_user(request: Request) -> Principal:
    who = principal(request)
    if who is None:
        raise HTTPException(401, "请先登录", headers={"WWW-Authenticate": "Bearer"})
    return who


def require_roles(who: Principal, *roles: str) -> None:
    if not who.has(*roles):
        raise Forbidden(
            f"用户“{who.name}”无权使用此功能，须由以下角色办理：{'、'.join(roles)}", "role.forbidden", "actor"
        )


def check_csrf(who: Principal, token: str | None) -> None:
    """Cookie sessions must echo their CSRF token on every change; bearer clients need not."""
    if who.via_cookie and not (token and secrets.compare_digest(token, who.csrf)):
        raise Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试", "csrf.invalid", "csrf")
