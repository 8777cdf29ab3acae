"""Users and their roles, as the other modules look them up. `system` is the automated deadline
enforcement, not a login; `portal` is the applicant acting through the portal. Adding and changing
users is workflow/admin/users.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from states import Role
from workflow.errors import Forbidden, NotFound
from workflow.models import User

SYSTEM_ACTOR = "system"
PORTAL_ACTOR = "portal"  # the applicant acting through the portal: role `applicant`, never a login
# Built once: every action looks its actor up, and building the statement showed in perform's profile.
_BY_NAME = select(User).where(User.name == bindparam("name"))
PERSON_ROLES = tuple(r for r in Role if r not in (Role.SYSTEM, Role.APPLICANT))


def find_user(session: Session, name: str) -> User | None:
    """The user called `name`, active or not, or None."""
    return session.exec(_BY_NAME, params={"name": name}).first()


def get_user(session: Session, name: str) -> User:
    """The active user called `name`; `system` is always there with the system role.

    Raises:
        NotFound: no such user. Forbidden: the user is deactivated.
    """
    if name == SYSTEM_ACTOR:
        return User(name=SYSTEM_ACTOR, roles=Role.SYSTEM.value, created_at=datetime(2000, 1, 1))
    if name == PORTAL_ACTOR:
        return User(name=PORTAL_ACTOR, roles=Role.APPLICANT.value, created_at=datetime(2000, 1, 1))
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"actor：没有名为“{name}”的用户", "user.unknown", "actor")
    if not user.active:
        raise Forbidden(f"actor：用户“{name}”已停用", "user.inactive", "actor")
    return user


def active_with_role(session: Session, role: Role) -> list[User]:
    """Active users holding `role`, by name (e.g. the handlers a case may be assigned to)."""
    users = session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.name)))
    return [u for u in users if role.value in u.role_set()]
