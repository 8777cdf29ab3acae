"""Telling applicants who filed online what happened to their case: the office confirmed receipt
(Art. 31(3): the day both sides confirm is the day of receipt), or a letter addressed to them was
issued and waits on the portal. Notices are queued in the outbox in the action's transaction and
sent by the workers: by e-mail through the office's SMTP server, and by SMS through `SmsSender`
(the default writes the message to the log; an office plugs in its SMS gateway)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

from sqlmodel import Session, select

from workflow.letters.registry import LETTERS
from workflow.models import Case, Letter
from workflow.models.portal import PortalApplication
from workflow.notify.inboxes import enqueue
from workflow.office.settings import Office

TASK = "notify_applicant"
log = logging.getLogger("ogi.portal")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsSender:
    """The default: no gateway, the message goes to the log."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)


SMS: SmsSender = LogSmsSender()


def _message(case: Case, action: str, data: Mapping[str, Any], letter: Letter | None, online: bool) -> str | None:
    if action == "confirm_receipt":
        day = data.get("confirmed_on")
        return (
            f"您的政府信息公开申请（受理编号 {case.number}）已确认收到，收到申请之日为{day}，"
            "答复期限自该日起计算（《政府信息公开条例》第三十一条）。"
        )
    if letter is not None and LETTERS[letter.kind].addressee == "applicant":
        where = (
            "请登录依申请公开平台查看；文书以您在平台打开或下载之时为送达时间。"
            if online
            else "本机关将按您选择的方式送达。"
        )
        return (
            f"您的申请（受理编号 {case.number}）有新的文书《{LETTERS[letter.kind].title}》（{letter.number}），{where}"
        )
    return None


def notify_applicant(
    session: Session, case: Case, action: str, data: Mapping[str, Any], letter: Letter | None, now: datetime
) -> int:
    """Queue the applicant's notices for this action (only for applications filed on the portal)."""
    if case.channel != "online":
        return 0
    row = session.exec(select(PortalApplication).where(PortalApplication.case_id == case.id)).first()
    if row is None:
        return 0
    text = _message(case, action, data, letter, row.service_method == "online" and row.consent_electronic)
    if text is None:
        return 0
    ref = f"{case.id}:{action}:{letter.id if letter else data.get('confirmed_on')}"
    queued = 0
    for channel, to in (("email", row.email), ("sms", row.phone)):
        if to:
            payload: dict[str, object] = {"channel": channel, "to": to, "case": case.number, "text": text}
            queued += enqueue(session, key=f"applicant:{channel}:{ref}", task=TASK, payload=payload, now=now)
    return queued


def deliver(session: Session, office: Office, payload: dict[str, object], now: datetime) -> None:
    """The outbox handler: one notice by e-mail (when the office has SMTP) or SMS."""
    text, to = str(payload["text"]), str(payload["to"])
    if payload["channel"] == "sms":
        SMS.send(to, text)
        return
    if not office.smtp_host:
        log.info("e-mail to applicant not sent (no smtp_host): %s", text)
        return
    host, _, port = office.smtp_host.partition(":")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = office.smtp_from, to, f"{office.name}：政府信息公开申请 {payload['case']}"
    msg.set_content(text)
    with smtplib.SMTP(host, int(port or 25), timeout=20) as smtp:
        smtp.send_message(msg)
