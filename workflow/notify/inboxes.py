"""Notifications: stored in each recipient's inbox, and queued for e-mail in the outbox (same
transaction as their cause) when the office has an SMTP server and the user an address."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import insert as insert_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from workflow.models import Case, Notification, OutboxItem, User
from workflow.office.settings import Office

_INSERT = insert_(Notification.__table__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Directory:
    """Active users by role and their e-mail addresses, read once per sweep or action."""

    by_role: dict[str, list[str]]
    emails: dict[str, str]

    @classmethod
    def load(cls, session: Session) -> Directory:
        by_role: dict[str, list[str]] = {}
        emails: dict[str, str] = {}
        for user in session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.name))):
            for role in user.role_set():
                by_role.setdefault(role, []).append(user.name)
            if user.email:
                emails[user.name] = user.email
        return cls(by_role, emails)

    def users_for(self, roles: Iterable[str], case: Case | None) -> list[str]:
        """User names for the roles; "handler" is the case's handler when it has one."""
        names: list[str] = []
        for role in roles:
            picked = (
                [case.handler]
                if role == "handler" and case is not None and case.handler
                else self.by_role.get(role, [])
            )
            names.extend(n for n in picked if n not in names)
        return names


def enqueue(session: Session, *, key: str, task: str, payload: dict[str, object], now: datetime) -> bool:
    """Queue follow-up work once per key; False when that key was already queued."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(OutboxItem)
        .values(key=key, task=task, payload=json.dumps(payload, ensure_ascii=False), created_at=now, attempts=0)
        .on_conflict_do_nothing()
    )
    result: Any = session.execute(stmt)
    return bool(result.rowcount)


def notify(
    session: Session,
    *,
    users: Iterable[str],
    case: Case | None,
    kind: str,
    title: str,
    body: str,
    now: datetime,
    office: Office,
    directory: Directory,
    escalation_id: int | None = None,
) -> list[Notification]:
    """Put a notification in each user's inbox and queue its e-mail."""
    made = [
        Notification(
            user_name=name,
            case_id=case.id if case else None,
            escalation_id=escalation_id,
            kind=kind,
            title=title,
            body=body,
            created_at=now,
        )
        for name in users
    ]
    session.add_all(made)
    if office.smtp_host and any(directory.emails.get(n.user_name) for n in made):
        session.flush()  # the outbox keys need the notification ids
        for note in made:
            if directory.emails.get(note.user_name):
                enqueue(
                    session, key=f"email:{note.id}", task="send_email", payload={"notification_id": note.id}, now=now
                )
    return made


def insert_notifications(
    session: Session, rows: list[dict[str, object]], *, now: datetime, office: Office, directory: Directory
) -> int:
    """Insert many notifications at once (the sweep's path) and queue the e-mails; returns the count."""
    mailing = bool(office.smtp_host)
    if not rows:
        return 0
    if not mailing:
        # Core, not the ORM's bulk path: one compiled executemany, and the caller's pending
        # changes are flushed when its transaction commits rather than here.
        session.connection().execute(_INSERT, rows)
        return len(rows)
    stmt = insert_(Notification).returning(col(Notification.id), col(Notification.user_name))
    for note_id, user_name in session.execute(stmt, rows):
        if directory.emails.get(user_name):
            enqueue(session, key=f"email:{note_id}", task="send_email", payload={"notification_id": note_id}, now=now)
    return len(rows)


def _note_view(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "case_id": n.case_id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }


def inbox(
    session: Session, user: str, *, unread: bool = False, limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    """A user's notifications, newest first, as plain data for the console, API and CLI."""
    stmt = select(Notification).where(Notification.user_name == user)
    if unread:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    notes = session.exec(stmt.order_by(col(Notification.id).desc()).offset(offset).limit(limit))
    return [_note_view(n) for n in notes]


def inbox_count(session: Session, user: str, *, unread: bool = False) -> int:
    """How many notifications a user has (only the unread ones with `unread`)."""
    stmt = select(func.count()).select_from(Notification).where(Notification.user_name == user)
    if unread:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    return int(session.exec(stmt).one())


def mark_read(session: Session, user: str, now: datetime, note_id: int | None = None) -> int:
    """Mark one of the user's notifications read (all of them when `note_id` is None); returns how
    many changed. Another user's notification is never touched."""
    stmt = (
        update(Notification)
        .where(col(Notification.user_name) == user, col(Notification.read_at).is_(None))
        .values(read_at=now)
    )
    if note_id is not None:
        stmt = stmt.where(col(Notification.id) == note_id)
    result: Any = session.execute(stmt)
    return int(result.rowcount or 0)
