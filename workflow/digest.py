"""The daily digest: one summary notification a user a day of what is waiting for them, each case
with its nearest obligation (workflow.duties: the same rule as the queue and the ladder)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from workflow.calendar_store import load_calendar
from workflow.config import Settings
from workflow.db import transaction
from workflow.duties import next_duty
from workflow.models import Case, Notification, User
from workflow.notify import Directory, notify
from workflow.office import load_office
from workflow.timeutil import local_date

OPEN = (
    "registered",
    "awaiting_correction",
    "under_review",
    "consulting",
    "awaiting_fee",
    "drafting",
    "awaiting_approval",
)


def daily_digest(settings: Settings) -> int:
    """Create today's digest for each active user with something open; returns how many."""
    now = settings.now()
    today = local_date(now)
    made = 0
    with transaction(settings) as session:
        office = load_office(session)
        directory = Directory.load(session)
        cal = load_calendar(session)
        for user in session.exec(select(User).where(col(User.active).is_(True))):
            key = f"digest:{user.name}:{today.isoformat()}"
            if session.exec(select(Notification).where(Notification.dedupe == key)).first() is not None:
                continue
            unread = session.exec(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_name == user.name, col(Notification.read_at).is_(None))
            ).one()
            mine = list(session.exec(select(Case).where(Case.handler == user.name, col(Case.state).in_(OPEN))))
            duties = sorted(
                ((d, c.number) for c in mine if (d := next_duty(c, cal, today)) is not None),
                key=lambda x: (x[0].due, x[1]),
            )
            if not unread and not mine:
                continue
            late = sum(1 for d, _ in duties if d.overdue)
            lines = [f"未读通知 {unread} 条；在办案件 {len(mine)} 件，其中逾期 {late} 件。"]
            lines += [f"{number}：{d.label} {d.due.isoformat()}，{d.remaining()}" for d, number in duties[:10]]
            (note,) = notify(
                session,
                users=[user.name],
                case=None,
                kind="digest",
                now=now,
                office=office,
                directory=directory,
                title=f"{today.isoformat()} 每日待办摘要",
                body="\n".join(lines),
            )
            note.dedupe = key
            session.add(note)
            made += 1
    return made
