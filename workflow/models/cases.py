"""SQLModel tables. The case row is the aggregate; its due-date columns are a projection of the
audit ledger and the calendar, recomputed by the service and indexed for the sweeps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "ogi_user"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=64)
    roles: str = Field(max_length=200)  # comma-separated Role values
    department: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    active: bool = True
    created_at: datetime
    password_hash: str | None = Field(default=None, max_length=200)  # argon2; None: cannot log in
    version: int = 1  # bumped by every audited change of the account (workflow/accounts/audited.py)

    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)


class Applicant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)  # the annual report's applicant columns
    id_number: str | None = Field(default=None, index=True, max_length=40)
    contact: str | None = Field(default=None, max_length=300)


class Case(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=40)
    state: str = Field(index=True, max_length=40)
    channel: str = Field(max_length=30)
    received_on: date  # the date of receipt as first recorded (Art. 31); registration may correct it
    request: str = Field(sa_column=Column(Text, nullable=False))
    applicant_id: int = Field(foreign_key="applicant.id", index=True)
    handler: str | None = Field(default=None, index=True, max_length=64)
    department: str | None = Field(default=None, max_length=100)
    outcome: str | None = Field(default=None, max_length=40)
    version: int = 1
    created_at: datetime
    updated_at: datetime
    # Projection of the clock (workflow/clock/deadlines.py); never edited by hand.
    clock_state: str = Field(default="not_started", max_length=20)
    answer_due: date | None = Field(default=None, index=True)
    correction_notice_due: date | None = Field(default=None, index=True)
    correction_reply_due: date | None = Field(default=None, index=True)
    consultation_due: date | None = Field(default=None, index=True)
    fee_due: date | None = Field(default=None, index=True)
    provisional: bool = False
    answered_on: date | None = None
    flagged: bool = Field(default=False, index=True)  # overdue: flagged for auditors by the sweep
    # Art. 31: False while an ordinary-mail, internet or fax application awaits the confirmation
    # that fixes its date of receipt (`received_on` then holds the day it arrived).
    receipt_confirmed: bool = True
    registration_due: date | None = Field(default=None, index=True)  # unregistered: register by then
    delivery_due: date | None = Field(default=None, index=True)  # oldest unconfirmed service: confirm by then
    reasons_due: date | None = Field(default=None, index=True)  # Art. 35: the applicant's reasons period
    # The nearest of the dates above that obliges someone (the answer date only while its clock
    # runs): what the work queue sorts by, kept with the other projected dates.
    next_due: date | None = Field(default=None, index=True)
    next_due_kind: str | None = Field(default=None, max_length=30)
    # The clock's and guards' facts folded from the case's events up to a given one (workflow/
    # snapshot.py), so an action need not replay the ledger; `ogi audit verify` replays and compares.
    clock_snapshot: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Consultation(SQLModel, table=True):
    """Projection of the consult/record_reply/lapse events of a case, one row per consultation."""

    __table_args__ = (UniqueConstraint("case_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    number: int  # 1, 2, ... within the case: what handlers type as `consultation`
    party: str = Field(max_length=30)
    addressee: str = Field(max_length=200)
    sent_on: date
    delivered_on: date | None = None  # None until the addressee's receipt is recorded
    reply_due: date | None = Field(default=None, index=True)  # runs from delivery (Art. 32, 34)
    closed_on: date | None = None
    closed_by: str | None = Field(default=None, max_length=30)  # reply | lapse
    opinion: str | None = Field(default=None, max_length=30)


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained ledger. Triggers refuse UPDATE and DELETE (see the migration)."""

    __tablename__ = "audit_event"
    seq: int = Field(primary_key=True)
    case_id: int | None = Field(default=None, index=True)
    at: str = Field(max_length=32)  # UTC, fixed width: hashed as stored
    actor: str = Field(max_length=64)
    role: str = Field(max_length=20)
    action: str = Field(index=True, max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str | None = Field(default=None, max_length=40)
    payload: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON
    prev_hash: str = Field(unique=True, max_length=64)
    hash: str = Field(unique=True, max_length=64)


class CalendarYear(SQLModel, table=True):
    """An official holiday arrangement imported by an admin; overrides the built-in data."""

    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True)
    source: str = Field(max_length=300)
    holidays: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of ISO dates
    workdays: str = Field(sa_column=Column(Text, nullable=False))
    imported_by: str = Field(max_length=64)
    imported_at: datetime


class CalendarClosure(SQLModel, table=True):
    """A local closure day (e.g. a typhoon day): not a working day for this office."""

    __tablename__ = "calendar_closure"
    day: date = Field(primary_key=True)
    reason: str = Field(max_length=300)
    added_by: str = Field(max_length=64)
    added_at: datetime


class Counter(SQLModel, table=True):
    """Gap-free numbering per scope (case numbers, letter numbers) and year."""

    scope: str = Field(primary_key=True, max_length=60)
    year: int = Field(primary_key=True)
    value: int = 0


class OfficeSetting(SQLModel, table=True):
    __tablename__ = "office_setting"
    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(sa_column=Column(Text, nullable=False))


class LetterBlob(SQLModel, table=True):
    """Rendered letter bytes, stored once under their SHA-256 (content-addressed, never changed)."""

    __tablename__ = "letter_blob"
    sha256: str = Field(primary_key=True, max_length=64)
    media_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Letter(SQLModel, table=True):
    """An issued letter: its number is gap-free per office, year and series."""

    __table_args__ = (UniqueConstraint("series", "year", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str = Field(max_length=40)
    series: str = Field(max_length=10)
    year: int
    seq: int
    number: str = Field(unique=True, max_length=80)
    addressee: str = Field(max_length=200)
    issued_at: datetime
    issued_by: str = Field(max_length=64)
    docx_sha256: str = Field(foreign_key="letter_blob.sha256", max_length=64)
    html_sha256: str = Field(foreign_key="letter_blob.sha256", max_length=64)


class Escalation(SQLModel, table=True):
    """One effect of the deadline sweep. The unique key (case, deadline, level, due date, day)
    makes a repeated or redelivered sweep a no-op."""

    __table_args__ = (UniqueConstraint("case_id", "deadline", "ref", "level", "due_on", "effect_day"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    deadline: str = Field(max_length=30)  # answer | correction_notice | correction_reply | consultation | fee
    ref: int = 0  # the consultation number, for consultation deadlines
    level: str = Field(max_length=10)  # yellow | orange | red | overdue
    due_on: date
    effect_day: date  # the working day of an overdue reminder; the due date otherwise
    working_days_left: int
    created_at: datetime


class Notification(SQLModel, table=True):
    """The stored inbox the console shows; e-mail is sent from the outbox when configured."""

    id: int | None = Field(default=None, primary_key=True)
    user_name: str = Field(index=True, max_length=64)
    case_id: int | None = Field(default=None, index=True)
    escalation_id: int | None = Field(default=None, foreign_key="escalation.id")
    kind: str = Field(max_length=30)
    title: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    read_at: datetime | None = None
    emailed_at: datetime | None = None
    dedupe: str | None = Field(default=None, unique=True, max_length=120)  # e.g. one digest a user a day


class OutboxItem(SQLModel, table=True):
    """Follow-up work written in the same transaction as its cause; the relay hands it to Celery.
    `key` is unique so the same work is never queued twice."""

    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    task: str = Field(max_length=60)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    not_before: datetime | None = Field(default=None, index=True)
    dispatched_at: datetime | None = Field(default=None, index=True)
    done_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ApiToken(SQLModel, table=True):
    """A bearer token for API clients; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_name: str = Field(index=True, max_length=64)
    token_sha256: str = Field(unique=True, max_length=64)
    label: str = Field(default="", max_length=100)
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None only for tokens issued before expiry existed
    scope: str = Field(default="write", max_length=10)  # read | write


class MetaValue(SQLModel, table=True):
    """Facts about the database itself, fixed when it is created (e.g. whether it is a simulation)."""

    __tablename__ = "ogi_meta"
    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)


class ServiceRecord(SQLModel, table=True):
    """Service (送达) of one outgoing letter: a projection of the ledger's issuing event and its
    `record_delivery` event. Periods that bind the addressee run from `delivered_on`."""

    __tablename__ = "service_record"
    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", unique=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    addressee: str = Field(max_length=200)
    method: str = Field(max_length=20)
    sent_on: date
    delivered_on: date | None = None
    proof: str | None = Field(default=None, max_length=300)
    recorded_by: str | None = Field(default=None, max_length=64)
    recorded_at: datetime | None = None


# Tables kept in their own modules (imported here so every schema builder sees them).
import workflow.office.report_texts  # noqa: E402,F401
from workflow.models import sessions as _trust_models  # noqa: E402, F401  (registers the trust tables)
