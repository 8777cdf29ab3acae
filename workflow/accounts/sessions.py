"""Server-side console sessions. The cookie holds a random id; the row holds who, since when, the
form token (CSRF) and one flash message. Logout, a password change, a role change and deactivation
end the rows at once, so a copied cookie is worthless from then on. Idle and absolute timeouts are
office settings (`session_idle_minutes`, `session_max_hours`)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.models import User
from workflow.models.sessions import LoginSession
from workflow.office.settings import load_office

TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def utc(value: datetime) -> datetime:
    """Aware UTC (SQLite hands datetimes back without their zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class Opened:
    sid: str  # goes into the cookie; never stored
    csrf: str


@dataclass(frozen=True)
class Live:
    user: User
    csrf: str
    row_id: int
    flash: str | None
    stale: bool  # last_seen is older than TOUCH_EVERY: the caller should `touch` it


def open_session(session: Session, user_name: str, now: datetime, address: str = "") -> Opened:
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(
        LoginSession(
            sid_sha256=_digest(sid),
            user_name=user_name,
            csrf=csrf,
            address=address[:64],
            created_at=now,
            last_seen_at=now,
        )
    )
    return Opened(sid, csrf)


def _expired(row: LoginSession, now: datetime, idle: timedelta, absolute: timedelta) -> bool:
    return now - utc(row.last_seen_at) > idle or now - utc(row.created_at) > absolute


def live_session(session: Session, sid: str, now: datetime) -> Live | None:
    """The session's user (active), its CSRF token and pending flash; None when the session was
    ended or timed out or its user was deactivated. Reads only (every request asks)."""
    row = session.exec(select(LoginSession).where(LoginSession.sid_sha256 == _digest(sid))).first()
    if row is None or row.ended_at is not None:
        return None
    office = load_office(session)
    idle = timedelta(minutes=int(office.session_idle_minutes))
    absolute = timedelta(hours=int(office.session_max_hours))
    if _expired(row, now, idle, absolute):
        return None
    user = session.exec(select(User).where(User.name == row.user_name)).first()
    if user is None or not user.active:
        return None
    return Live(user, row.csrf, row.id or 0, row.flash, now - utc(row.last_seen_at) > TOUCH_EVERY)


def touch(session: Session, row_id: int, now: datetime) -> None:
    session.execute(update(LoginSession).where(col(LoginSession.id) == row_id).values(last_seen_at=now))


def end_session(session: Session, sid: str, now: datetime, why: str = "logout") -> None:
    session.execute(
        update(LoginSession)
        .where(col(LoginSession.sid_sha256) == _digest(sid), col(LoginSession.ended_at).is_(None))
        .values(ended_at=now, ended_why=why)
    )


def end_user_sessions(session: Session, user_name: str, now: datetime, why: str) -> int:
    """End every open session of a user; returns how many."""
    result = session.execute(
        update(LoginSession)
        .where(col(LoginSession.user_name) == user_name, col(LoginSession.ended_at).is_(None))
        .values(ended_at=now, ended_why=why)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def set_flash(session: Session, row_id: int, message: str) -> None:
    session.execute(update(LoginSession).where(col(LoginSession.id) == row_id).values(flash=message[:500]))


def take_flash(session: Session, row_id: int) -> None:
    session.execute(update(LoginSession).where(col(LoginSession.id) == row_id).values(flash=None))
