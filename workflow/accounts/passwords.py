"""Login credentials: argon2 password hashes and API bearer tokens (only digests are stored)."""

from __future__ import annotations

import os
import threading
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from workflow.accounts.audited import audited_write
from workflow.accounts.tokens import end_sessions_and_tokens, issue
from workflow.accounts.users import SYSTEM_ACTOR, find_user, get_user
from workflow.config import Settings
from workflow.db import NOW
from workflow.errors import InvalidInput
from workflow.models import User

_hasher = PasswordHasher()
MIN_LENGTH = 8
# Verified against when the name is unknown, has no password or is shut, so every failed login
# costs one argon2 verification: the answer's timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("ogi-dummy-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


# argon2 is built to be expensive (64 MiB, ~0.1 s of a core). Run in parallel without bound, a
# burst of logins takes every core and starves every other request, /healthz included; at most
# this many verifications run at once, and the rest wait without using the CPU.
_SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))


def verify_password(stored: str | None, password: str) -> bool:
    with _SLOTS:
        try:
            return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def set_password(
    session: Session, name: str, password: str, *, actor: str = SYSTEM_ACTOR, now: datetime | None = None
) -> None:
    """Set a user's password (the user themself, an admin, or the server's operator); audited. It
    ends the user's console sessions and revokes their API tokens: whoever knew the old password
    may hold either.

    Raises: InvalidInput (too short), NotFound (no such user), Forbidden (someone else's, not admin).
    """

    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password：密码至少{MIN_LENGTH}位", "user.password_length", "password")
    user = get_user(session, name)
    now = now or session.info.get(NOW) or Settings.from_env().now()
    user.password_hash = hash_password(password)
    end_sessions_and_tokens(session, name, now, why="password")
    audited_write(
        session,
        actor=actor,
        action="password_set",
        now=now,
        payload={"name": name},
        roles=("admin", "system"),
        what="设置他人密码",
        changed=user,
        own=actor == name,
    )


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None; the same work whether or not the name exists."""
    user = find_user(session, name) if name and name != SYSTEM_ACTOR else None
    usable = user is not None and user.active and user.password_hash is not None
    ok = verify_password(user.password_hash if usable and user else None, password)
    return user if ok and usable else None


def issue_token(session: Session, name: str, now: datetime, label: str = "") -> str:
    """A new read-write bearer token for the user, valid for the default period (shown once)."""
    return issue(session, user=name, actor=name, now=now, name=label).token
