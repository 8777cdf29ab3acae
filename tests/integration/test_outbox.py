"""Notifications leave by e-mail through the outbox: once, outside quiet hours, retried on failure."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from tests.helpers import free_port
from workflow.db import reading, transaction
from workflow.models import Notification, OutboxItem, User
from workflow.notify.digest import daily_digest
from workflow.notify.outbox import process, quiet_until, relay
from workflow.office.settings import set_office
from workflow.sweep.cases import sweep


class Recorder(Sink):
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def s(settings, smtp):
    add_staff(settings)
    with transaction(settings) as session:
        set_office(session, "smtp_host", f"127.0.0.1:{smtp[1]}")
        for user in session.exec(select(User)):
            user.email = f"{user.name}@example.gov.cn"
            session.add(user)
    return settings


def _run_outbox(settings) -> list[str]:
    results: list[str] = []
    relay(settings, send=lambda item_id: results.append(process(settings, item_id)))
    return results


def test_escalation_mails_each_recipient_once(s, smtp):
    handler, _ = smtp
    new_case(s, "2026-05-06")
    day = at(s, "2026-06-02", hour=10)  # the due day: red → approvers and the admin
    sweep(day)
    assert _run_outbox(day) == ["done", "done", "done"]
    assert _run_outbox(day) == []  # nothing left, nothing sent twice
    to = sorted(rcpt for _, rcpts, _ in handler.messages for rcpt in rcpts)
    assert to == ["a1@example.gov.cn", "a2@example.gov.cn", "m1@example.gov.cn"]
    assert "Subject:" in handler.messages[0][2]
    with reading(s) as session:
        assert all(n.emailed_at is not None for n in session.exec(select(Notification)))


def test_processing_an_item_twice_sends_once(s, smtp):
    handler, _ = smtp
    new_case(s, "2026-05-06")
    day = at(s, "2026-06-02")
    sweep(day)
    with reading(s) as session:
        first = session.exec(select(OutboxItem)).first()
    assert process(day, first.id) == "done"
    assert process(day, first.id) == "skipped"
    assert len(handler.messages) == 1


def test_quiet_hours_defer_mail_until_morning(s, smtp):
    handler, _ = smtp
    new_case(s, "2026-05-06")
    night = at(s, "2026-06-02", hour=23)
    sweep(night)
    assert set(_run_outbox(night)) == {"deferred"}
    assert handler.messages == []
    assert _run_outbox(at(s, "2026-06-03", hour=6)) == []  # still quiet, not handed out again
    assert set(_run_outbox(at(s, "2026-06-03", hour=7))) == {"done"}
    assert len(handler.messages) == 3


def test_smtp_failure_is_retried_with_backoff(s, smtp):
    new_case(s, "2026-05-06")
    day = at(s, "2026-06-02")
    with transaction(s) as session:
        set_office(session, "smtp_host", f"127.0.0.1:{free_port()}")  # nothing listens there
    sweep(day)
    assert set(_run_outbox(day)) == {"failed"}
    with reading(s) as session:
        items = list(session.exec(select(OutboxItem)))
    assert all(i.attempts == 1 and i.not_before is not None and i.last_error for i in items)
    assert _run_outbox(day) == []  # backing off


def test_quiet_hours_parse_across_midnight(s):
    from workflow.office.settings import Office

    office = Office(quiet_hours="22:00-07:00")
    assert quiet_until(office, at(s, "2026-06-02", hour=12).now()) is None
    until = quiet_until(office, at(s, "2026-06-02", hour=23).now())
    assert until is not None and until.isoformat().startswith("2026-06-03T07:00")


def test_daily_digest_once_per_user_per_day(s, smtp):
    new_case(s, "2026-05-06")
    day = at(s, "2026-06-02", hour=8)
    sweep(day)
    made = daily_digest(day)
    assert made >= 3 and daily_digest(day) == 0
    assert daily_digest(at(s, "2026-06-03", hour=8)) == made


def test_a_hand_off_is_mailed_through_the_outbox(s, smtp):
    handler, _ = smtp
    cid = new_case(s, "2026-05-06")
    day = at(s, "2026-05-07", hour=10)
    for action, actor, payload in (("start_review", "h1", {}), ("decide", "h1", {"outcome": "not_held"})):
        act(s, cid, "2026-05-07", action, actor, **payload)
    act(s, cid, "2026-05-07", "submit", "h1")
    assert _run_outbox(day) == ["done", "done"]
    to = sorted(rcpt for _, rcpts, _ in handler.messages for rcpt in rcpts)
    assert to == ["a1@example.gov.cn", "a2@example.gov.cn"]
