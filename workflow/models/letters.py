"""Issued letters: their numbers, their rendered bytes (content-addressed) and their service (送达)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


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
