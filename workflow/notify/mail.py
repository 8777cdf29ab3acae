"""The one mail sender: a plain-text message from the office's address through its SMTP server
(the office setting `smtp_host`, host[:port]). Callers are outbox handlers, so a failure
(OSError, smtplib.SMTPException) is retried by the outbox, never lost."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from workflow.office.settings import Office

TIMEOUT_SECONDS = 20


def send_mail(office: Office, to: str, subject: str, body: str) -> bool:
    """Send one message; False (nothing sent) when the office has no SMTP server."""
    if not office.smtp_host:
        return False
    host, _, port = office.smtp_host.partition(":")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = office.smtp_from, to, subject
    msg.set_content(body)
    with smtplib.SMTP(host, int(port or 25), timeout=TIMEOUT_SECONDS) as smtp:
        smtp.send_message(msg)
    return True
