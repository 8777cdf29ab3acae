"""API bearer tokens: a name, a scope (read / write) and an expiry (default 90 days); listed and
revoked one by one. Only the SHA-256 of a token is stored; issuing and revoking are audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.accounts.audited import acting_role, audited_write
from workflow.accounts.sessions import end_user_sessions, utc
from workflow.accounts.users import get_user
from workflow.errors import InvalidInput, NotFound
from workflow.models import ApiToken, User

SCOPES = ("read", "write")
DEFAULT_DAYS = 90
MAX_DAYS = 366


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    token: str  # shown once
    row: ApiToken


def issue(
    session: Session,
    *,
    user: str,
    actor: str,
    now: datetime,
    name: str = "",
    scope: str = "write",
    days: int = DEFAULT_DAYS,
) -> Issued:
    """A new token for `user`, issued by the user themself or an admin.

    Raises: InvalidInput (scope, days), NotFound / Forbidden (user, actor).
    """
    if scope not in SCOPES:
        raise InvalidInput(f"scope：'{scope}' 不是有效范围，可选：read、write", "token.scope", "scope")
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days：有效期须为 1 到 {MAX_DAYS} 天", "token.days", "days")
    get_user(session, user)
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_name=user,
        token_sha256=token_digest(token),
        label=name.strip()[:100],
        created_at=now,
        expires_at=now + timedelta(days=days),
        scope=scope,
    )
    session.add(row)
    session.flush()
    audited_write(
        session,
        actor=actor,
        action="token_issued",
        now=now,
        payload={"id": row.id, "user": user, "name": row.label, "scope": scope, "expires_at": row.expires_at},
        roles=("admin", "system"),
        what="为他人签发令牌",
        own=actor == user,
    )
    return Issued(token, row)


def token_view(row: ApiToken, now: datetime) -> dict[str, Any]:
    expired = row.expires_at is not None and utc(row.expires_at) <= now
    status = "revoked" if row.revoked_at else ("expired" if expired else "active")
    return {
        "id": row.id,
        "user": row.user_name,
        "name": row.label,
        "scope": row.scope,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "revoked_at": row.revoked_at,
        "status": status,
    }


def tokens_of(session: Session, user: str | None = None) -> list[ApiToken]:
    """Every token (of one user), newest first."""
    stmt = select(ApiToken).order_by(col(ApiToken.id).desc())
    if user is not None:
        stmt = stmt.where(ApiToken.user_name == user)
    return list(session.exec(stmt))


def revoke(session: Session, token_id: int, *, actor: str, now: datetime) -> ApiToken:
    """Revoke one token: its owner or an admin. Revoking a revoked token changes nothing.

    Raises: NotFound (no such token), Forbidden (someone else's, not admin).
    """
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"id：没有编号为 {token_id} 的令牌", "token.unknown", "id")
    acting_role(session, actor, ("admin", "system"), what="吊销他人令牌", own=actor == row.user_name)
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        audited_write(
            session,
            actor=actor,
            action="token_revoked",
            now=now,
            payload={"id": token_id, "user": row.user_name},
            roles=("admin", "system"),
            what="吊销他人令牌",
            own=actor == row.user_name,
        )
    return row


def resolve(session: Session, token: str, now: datetime | None) -> tuple[User, str] | None:
    """The active user and scope of a live token, or None (unknown, revoked, expired, user shut)."""
    row = session.exec(
        select(ApiToken).where(ApiToken.token_sha256 == token_digest(token), col(ApiToken.revoked_at).is_(None))
    ).first()
    if row is None or (now is not None and row.expires_at is not None and utc(row.expires_at) <= now):
        return None
    user = session.exec(select(User).where(User.name == row.user_name)).first()
    return (user, row.scope) if user is not None and user.active else None


def end_sessions_and_tokens(session: Session, name: str, now: datetime, *, why: str, tokens: bool = True) -> None:
    """End the user's console sessions at once and, with `tokens`, revoke their API tokens."""
    end_user_sessions(session, name, now, why)
    if tokens:
        session.execute(
            update(ApiToken)
            .where(col(ApiToken.user_name) == name, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=now)
        )
