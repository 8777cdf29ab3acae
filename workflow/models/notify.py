"""Who is told: each person's stored notifications, and the outbox of follow-up work (e-mail and
other deliveries) written in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


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
