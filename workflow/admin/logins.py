"""Demo logins for the embedded default: on a database where nobody can log in yet, give one
user of every role a random password (and create the user if the role has none)."""

from __future__ import annotations

import secrets

from sqlmodel import select

from workflow.accounts.passwords import set_password
from workflow.accounts.users import PERSON_ROLES
from workflow.admin.users import add_user
from workflow.config import Settings
from workflow.db import transaction
from workflow.models import User


def ensure_demo_logins(settings: Settings) -> list[tuple[str, str, str]]:
    """(user, role, password) for each role; empty outside the embedded default or once anyone has a password."""
    if not settings.embedded:
        return []
    made: list[tuple[str, str, str]] = []
    with transaction(settings) as session:
        users = list(session.exec(select(User).order_by(User.name)))
        if any(u.password_hash for u in users):
            return []
        for role in PERSON_ROLES:
            holder = next((u.name for u in users if role.value in u.role_set()), None)
            if holder is None:
                holder = add_user(session, name=f"{role.value}1", roles=[role.value], now=settings.now()).name
            password = secrets.token_urlsafe(9)
            set_password(session, holder, password)
            made.append((holder, role.value, password))
    return made
