"""Login credentials: argon2 password hashes and API bearer tokens (only digests are stored)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from workflow.errors import InvalidInput
from workflow.models import ApiToken, User
from workflow.users import get_user

_hasher = PasswordHasher()
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, name: str, password: str) -> None:
    """Raises: InvalidInput (too short), NotFound (no such user)."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password：密码至少{MIN_LENGTH}位", "user.password_length", "password")
    user = get_user(session, name)
    user.password_hash = hash_password(password)
    session.add(user)


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, name: str, now: datetime, label: str = "") -> str:
    """A new bearer token for the user; the token itself is shown once and never stored."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_name=name, token_sha256=token_digest(token), label=label[:100], created_at=now))
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.exec(
        select(ApiToken).where(ApiToken.token_sha256 == token_digest(token), col(ApiToken.revoked_at).is_(None))
    ).first()
    if row is None:
        return None
    user = session.exec(select(User).where(User.name == row.user_name)).first()
    return user if user is not None and user.active else None
