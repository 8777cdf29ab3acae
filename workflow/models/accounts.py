"""Who may act: users with their roles, and the bearer tokens of API clients (console sessions are
in sessions.py)."""

from __future__ import annotations

from datetime import datetime

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
