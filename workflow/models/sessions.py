"""Tables of the trust layer: server-side login sessions (issue 14). Kept apart from models.py so
the schema of the case engine reads on its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class LoginSession(SQLModel, table=True):
    """A console session. The cookie carries a random id; only its SHA-256 is stored, so a copy of
    the database cannot be replayed as a login. Ending a session is final: a saved cookie stops
    working the moment `ended_at` is set (logout, password or role change, deactivation)."""

    __tablename__ = "login_session"
    id: int | None = Field(default=None, primary_key=True)
    sid_sha256: str = Field(unique=True, max_length=64)
    user_name: str = Field(index=True, max_length=64)
    csrf: str = Field(max_length=64)
    address: str = Field(default="", max_length=64)
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = Field(default=None, index=True)
    ended_why: str | None = Field(default=None, max_length=30)
    flash: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # one message to show next
