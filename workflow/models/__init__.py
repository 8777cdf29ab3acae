"""Every table of the product, one module per subject, all on SQLModel's one metadata (importing
this package registers every table, which is what Alembic and the schema builders need).

May import: SQLModel/SQLAlchemy only (not even `states/`): a table is data, the rules are above.
Every layer above imports from here; nothing here reads or writes a row."""

from workflow.models.accounts import ApiToken, User
from workflow.models.calendar import CalendarClosure, CalendarYear
from workflow.models.cases import Applicant, Case, Consultation, Counter, Escalation
from workflow.models.files import Attachment, AttachmentBlob, RedactedCopy
from workflow.models.ledger import AuditEvent, MetaValue
from workflow.models.letters import Letter, LetterBlob, ServiceRecord
from workflow.models.notify import Notification, OutboxItem
from workflow.models.office import AnnualText, OfficeSetting
from workflow.models.portal import PortalApplication, PortalLetterAccess, PortalSubmission, PortalUpload
from workflow.models.registry import InfoEscalation, InfoEvent, InfoFile, InfoItem
from workflow.models.sessions import LoginSession

__all__ = [
    "AnnualText",
    "ApiToken",
    "Applicant",
    "Attachment",
    "AttachmentBlob",
    "AuditEvent",
    "CalendarClosure",
    "CalendarYear",
    "Case",
    "Consultation",
    "Counter",
    "Escalation",
    "InfoEscalation",
    "InfoEvent",
    "InfoFile",
    "InfoItem",
    "Letter",
    "LetterBlob",
    "LoginSession",
    "MetaValue",
    "Notification",
    "OfficeSetting",
    "OutboxItem",
    "PortalApplication",
    "PortalLetterAccess",
    "PortalSubmission",
    "PortalUpload",
    "RedactedCopy",
    "ServiceRecord",
    "User",
]
