"""Tables of the disclosed material: attachments, their stored bytes and redacted copies.

Bytes are stored once under their SHA-256 (content-addressed, never changed), as letters are.
Review decisions are not stored here: they are ledger events (workflow/redaction/review.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel


class AttachmentBlob(SQLModel, table=True):
    __tablename__ = "attachment_blob"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Attachment(SQLModel, table=True):
    """A file attached to a case: the material an answer may disclose."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    name: str = Field(max_length=200)  # the file name as uploaded (shown to people, never used as a path)
    kind: str = Field(max_length=10)  # docx | xlsx | pdf | txt | jpg | png, from the content
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(foreign_key="attachment_blob.sha256", max_length=64)
    added_by: str = Field(max_length=64)
    added_at: datetime


class RedactedCopy(SQLModel, table=True):
    """A de-identified copy of an attachment, with the log of what was removed and why."""

    __tablename__ = "redacted_copy"
    id: int | None = Field(default=None, primary_key=True)
    attachment_id: int = Field(foreign_key="attachment.id", index=True)
    sha256: str = Field(foreign_key="attachment_blob.sha256", max_length=64)
    made_by: str = Field(max_length=64)
    made_at: datetime
    log: str = Field(sa_column=Column(Text, nullable=False))  # JSON: kind, where, ground per removal; no text
