"""Every table of the product, one module per subject (SQLModel, registered on one metadata).

May import: SQLModel/SQLAlchemy and `states/` only. Imported by every layer above; nothing here
reads or writes a row (that is the job of the packages above)."""

from workflow.models.cases import (
    ApiToken,
    Applicant,
    AuditEvent,
    CalendarClosure,
    CalendarYear,
    Case,
    Consultation,
    Counter,
    Escalation,
    Letter,
    LetterBlob,
    MetaValue,
    Notification,
    OfficeSetting,
    OutboxItem,
    ServiceRecord,
    User,
)

__all__ = [
    "ApiToken",
    "Applicant",
    "AuditEvent",
    "CalendarClosure",
    "CalendarYear",
    "Case",
    "Consultation",
    "Counter",
    "Escalation",
    "Letter",
    "LetterBlob",
    "MetaValue",
    "Notification",
    "OfficeSetting",
    "OutboxItem",
    "ServiceRecord",
    "User",
]
