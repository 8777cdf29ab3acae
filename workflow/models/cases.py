"""The case and what hangs off it: the applicant, the case row (the aggregate; its due-date columns
are a projection of the audit ledger and the calendar, recomputed by the service and indexed for
the sweeps), its consultations, the sweep's escalations and the gap-free number counters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


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


class Counter(SQLModel, table=True):
    """Gap-free numbering per scope (case numbers, letter numbers) and year."""

    scope: str = Field(primary_key=True, max_length=60)
    year: int = Field(primary_key=True)
    value: int = 0


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
