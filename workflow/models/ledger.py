"""The hash-chained ledger, and the facts about the database fixed when it is created (whether it
is a simulation), which the ledger's time rules read."""

from __future__ import annotations

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


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


class MetaValue(SQLModel, table=True):
    """Facts about the database itself, fixed when it is created (e.g. whether it is a simulation)."""

    __tablename__ = "ogi_meta"
    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)
