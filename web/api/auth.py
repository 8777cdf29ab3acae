"""The API's door: bearer tokens for a username and password, listed and revoked. The console's
login, logout and token page are web/console/auth.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field

from web.deps import Principal, require_user, settings_of
from web.errors import ERROR_RESPONSES
from web.security import client_address
from workflow.accounts.passwords import authenticate
from workflow.accounts.tokens import DEFAULT_DAYS, MAX_DAYS, issue, revoke, token_view, tokens_of
from workflow.db import reading, transaction

api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def address_of(request: Request) -> str:
    nets = request.app.state.trusted_proxies
    return client_address(request.client.host if request.client else None, request.headers.get("x-forwarded-for"), nets)


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


__all__ = ["address_of", "api_router"]
