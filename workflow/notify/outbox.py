"""The outbox: follow-up work written beside its cause, handed to the workers by the relay, and
processed idempotently (an item is done once, however often it is delivered)."""

from __future__ import annotations

import json
import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, time, timedelta
from email.message import EmailMessage

from sqlmodel import Session, col, or_, select

from workflow.config import LOCAL_TZ, Settings
from workflow.db import transaction
from workflow.models import Notification, OutboxItem, User
from workflow.notify import applicants as notices
from workflow.office.settings import Office, load_office

REDISPATCH_AFTER = timedelta(minutes=10)  # a dispatched item not done by then is handed out again
MAX_ATTEMPTS = 8

log = logging.getLogger("ogi.outbox")


def quiet_until(office: Office, now: datetime) -> datetime | None:
    """The end of the quiet hours if `now` is inside them (Beijing time), else None."""
    try:
        start_s, end_s = office.quiet_hours.split("-")
        start, end = time.fromisoformat(start_s.strip()), time.fromisoformat(end_s.strip())
    except ValueError:
        return None
    local = now.astimezone(LOCAL_TZ)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, LOCAL_TZ)


def relay(settings: Settings, send: Callable[[int], None], limit: int = 200) -> int:
    """Hand ready items to the workers; returns how many were handed out."""
    now = settings.now()
    with transaction(settings) as session:
        stmt = (
            select(OutboxItem)
            .where(
                col(OutboxItem.done_at).is_(None),
                or_(col(OutboxItem.not_before).is_(None), col(OutboxItem.not_before) <= now),
                or_(col(OutboxItem.dispatched_at).is_(None), col(OutboxItem.dispatched_at) < now - REDISPATCH_AFTER),
            )
            .order_by(col(OutboxItem.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        items = list(session.exec(stmt))
        for item in items:
            item.dispatched_at = now
            session.add(item)
        ids = [item.id or 0 for item in items]
    for item_id in ids:
        send(item_id)
    return len(ids)


def _send_email(session: Session, office: Office, payload: dict[str, object], now: datetime) -> None:
    note = session.get(Notification, int(str(payload["notification_id"])))
    if note is None or note.emailed_at is not None:
        return
    user = session.exec(select(User).where(User.name == note.user_name)).first()
    if user is None or not user.email or not office.smtp_host:
        return
    host, _, port = office.smtp_host.partition(":")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = office.smtp_from, user.email, note.title
    msg.set_content(note.body)
    with smtplib.SMTP(host, int(port or 25), timeout=20) as smtp:
        smtp.send_message(msg)
    note.emailed_at = now
    session.add(note)


HANDLERS: dict[str, Callable[[Session, Office, dict[str, object], datetime], None]] = {
    "send_email": _send_email,
    notices.TASK: notices.deliver,
}


def process(settings: Settings, item_id: int) -> str:
    """Do one outbox item, once. Returns what happened: done, deferred, failed or skipped."""
    now = settings.now()
    with transaction(settings) as session:
        item = session.exec(select(OutboxItem).where(OutboxItem.id == item_id).with_for_update()).first()
        if item is None or item.done_at is not None:
            return "skipped"
        office = load_office(session)
        if item.task == "send_email" and (until := quiet_until(office, now)) is not None:
            item.not_before, item.dispatched_at = until, None
            session.add(item)
            return "deferred"
        try:
            HANDLERS[item.task](session, office, json.loads(item.payload), now)
        except (OSError, smtplib.SMTPException) as exc:
            item.attempts += 1
            item.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            item.dispatched_at = None
            item.not_before = now + timedelta(seconds=min(3600, 30 * 2**item.attempts))
            if item.attempts >= MAX_ATTEMPTS:
                item.done_at = now  # given up: the notification stays in the inbox
            log.warning("outbox %s %s failed (attempt %s): %s", item.id, item.task, item.attempts, type(exc).__name__)
            session.add(item)
            return "failed"
        item.done_at = now
        session.add(item)
        return "done"
