"""Users and their roles. `system` is the automated deadline enforcement, not a login."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from states import Role
from workflow import audit
from workflow.errors import Forbidden, InvalidInput, NotFound
from workflow.models import ApiToken, User

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


def _check_roles(roles: list[str], field: str) -> None:
    """At least one role, each a person's role (`system` is not one)."""
    valid = {r.value for r in PERSON_ROLES}
    bad = [r for r in roles if r not in valid]
    if bad or not roles:
        raise InvalidInput(
            f"{field}：'{(bad or [''])[0]}' 不是有效角色，可选：{', '.join(sorted(valid))}", "user.role", field
        )


def add_user(
    session: Session,
    *,
    name: str,
    roles: list[str],
    now: datetime,
    department: str | None = None,
    email: str | None = None,
) -> User:
    """Create a user, or add roles to an existing one.

    Raises:
        InvalidInput: an empty name, the reserved name `system`, or an unknown role.
    """
    name = name.strip()
    if not name or name in (SYSTEM_ACTOR, PORTAL_ACTOR) or len(name) > 64:
        raise InvalidInput("name：用户名不能为空、不能超过64字，且不能是保留名 system、portal", "user.name", "name")
    _check_roles(roles, "role")
    user = find_user(session, name)
    if user is None:
        user = User(name=name, roles="", created_at=now, department=department, email=email)
    merged = sorted(user.role_set() | set(roles))
    user.roles = ",".join(merged)
    if department:
        user.department = department
    if email:
        user.email = email
    session.add(user)
    session.flush()
    return user


def active_with_role(session: Session, role: Role) -> list[User]:
    """Active users holding `role`, by name (e.g. the handlers a case may be assigned to)."""
    users = session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.name)))
    return [u for u in users if role.value in u.role_set()]


def change_user(
    session: Session,
    *,
    name: str,
    actor: str,
    now: datetime,
    roles: list[str] | None = None,
    active: bool | None = None,
) -> User:
    """An admin replaces a user's roles or (de)activates the account; audited in the same
    transaction. Deactivating ends the user's console sessions (checked on every request) and
    revokes their API tokens. An admin cannot lock themselves out this way.

    Raises:
        Forbidden: the actor is not an admin, or would remove their own admin access.
        NotFound: no such user. InvalidInput: an empty or unknown role.
    """
    if Role.ADMIN.value not in get_user(session, actor).role_set():
        raise Forbidden(f"用户“{actor}”无权修改用户，须由管理员办理", "role.forbidden", "actor")
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"name：没有名为“{name}”的用户", "user.unknown", "name")
    before = {"roles": sorted(user.role_set()), "active": user.active}
    if roles is not None:
        _check_roles(roles, "roles")
        user.roles = ",".join(sorted(set(roles)))
    if active is not None:
        user.active = active
    if name == actor and not (user.active and Role.ADMIN.value in user.role_set()):
        raise Forbidden("不能停用自己或取消自己的管理员角色（请由另一位管理员办理）", "user.self_lockout", "name")
    if not user.active:
        for token in session.exec(
            select(ApiToken).where(ApiToken.user_name == name, col(ApiToken.revoked_at).is_(None))
        ):
            token.revoked_at = now
            session.add(token)
    session.add(user)
    after = {"roles": sorted(user.role_set()), "active": user.active}
    audit.append(
        session,
        case_id=None,
        at=now,
        actor=actor,
        role=Role.ADMIN.value,
        action="user_changed",
        from_state=None,
        to_state=None,
        payload={"name": name, "from": before, "to": after},
    )
    session.flush()
    return user
