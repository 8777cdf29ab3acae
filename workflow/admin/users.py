"""User administration: an admin adds users, changes their roles or (de)activates them; every change
is audited in the caller's transaction and ends the sessions (and, on deactivation, the API tokens)
that the old roles opened."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from states import Role
from workflow.accounts.audited import acting_role, audited_write
from workflow.accounts.tokens import end_sessions_and_tokens
from workflow.accounts.users import PERSON_ROLES, PORTAL_ACTOR, SYSTEM_ACTOR, find_user
from workflow.errors import Forbidden, InvalidInput, NotFound
from workflow.models import User


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
    actor: str = SYSTEM_ACTOR,
) -> User:
    """Create a user, or add roles to an existing one; audited. `actor` is the admin doing it; the
    default, `system`, is the operator at the server's own command line (who holds the database).

    Raises:
        InvalidInput: an empty name, the reserved name `system`, or an unknown role.
        Forbidden: the actor is not an admin.
    """
    acting_role(session, actor, (Role.ADMIN.value, Role.SYSTEM.value), what="添加用户")
    name = name.strip()
    if not name or name in (SYSTEM_ACTOR, PORTAL_ACTOR) or len(name) > 64:
        raise InvalidInput("name：用户名不能为空、不能超过64字，且不能是保留名 system、portal", "user.name", "name")
    _check_roles(roles, "role")
    user = find_user(session, name)
    before = sorted(user.role_set()) if user else []
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
    if before != merged:
        end_sessions_and_tokens(session, name, now, why="roles", tokens=False)
    audited_write(
        session,
        actor=actor,
        action="user_added" if not before else "user_changed",
        now=now,
        payload={"name": name, "from": {"roles": before}, "to": {"roles": merged}, "department": user.department},
        roles=(Role.ADMIN.value, Role.SYSTEM.value),
        what="添加用户",
        changed=user if before else None,
    )
    session.flush()
    return user


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
    acting_role(session, actor, (Role.ADMIN.value,), what="修改用户")
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
    after = {"roles": sorted(user.role_set()), "active": user.active}
    if not user.active:
        end_sessions_and_tokens(session, name, now, why="deactivated")
    elif after["roles"] != before["roles"]:
        end_sessions_and_tokens(session, name, now, why="roles", tokens=False)
    session.add(user)
    audited_write(
        session,
        actor=actor,
        action="user_changed",
        now=now,
        payload={"name": name, "from": before, "to": after},
        roles=(Role.ADMIN.value,),
        what="修改用户",
        changed=user,
    )
    session.flush()
    return user
