"""The portal's tables, beside the engine's: one row per application filed online, the files
applicants upload, what they submit online, and when they open the letters issued to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel


class PortalApplication(SQLModel, table=True):
    """What the applicant chose when filing online. The query code is kept only as an argon2 hash."""

    __tablename__ = "portal_application"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    # The case number (the tracking number) without brackets and spaces, so 依申2026-7 finds 依申〔2026〕7号.
    number_key: str = Field(unique=True, max_length=60)
    code_hash: str = Field(max_length=200)
    submitted_at: datetime
    submitted_on: date  # Beijing date, printed on the receipt (回执)
    form: str = Field(max_length=20)  # paper | electronic (纸质 / 电子)
    service_method: str = Field(max_length=20)  # online | email | post | pickup
    consent_electronic: bool = False  # consent to electronic service (送达)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    purpose: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PortalUpload(SQLModel, table=True):
    """A file an applicant sent: checked by content, stored with its SHA-256 (recorded in the ledger)."""

    __tablename__ = "portal_upload"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    purpose: str = Field(max_length=20)  # application | correction | payment
    event_seq: int | None = None  # the ledger event it came with
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_at: datetime
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PortalSubmission(SQLModel, table=True):
    """Text an applicant submitted online, linked to the ledger event it produced."""

    __tablename__ = "portal_submission"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str = Field(max_length=20)  # correction | reasons | payment | withdrawal
    event_seq: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    submitted_at: datetime


class PortalLetterAccess(SQLModel, table=True):
    """When the applicant first (and last) opened or downloaded a letter on the portal."""

    __tablename__ = "portal_letter_access"
    letter_id: int = Field(foreign_key="letter.id", primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    first_at: datetime
    last_at: datetime
    count: int = 1
