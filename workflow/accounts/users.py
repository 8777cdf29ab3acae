"""Users and their roles. `system` is the automated deadline enforcement, not a login."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from states import Role
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
    actor: str = SYSTEM_ACTOR,
) -> User:
    """Create a user, or add roles to an existing one; audited. `actor` is the admin doing it; the
    default, `system`, is the operator at the server's own command line (who holds the database).

    Raises:
        InvalidInput: an empty name, the reserved name `system`, or an unknown role.
        Forbidden: the actor is not an admin.
    """
    from workflow.accounts.audited import acting_role, audited_write

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


def end_sessions_and_tokens(session: Session, name: str, now: datetime, *, why: str, tokens: bool = True) -> None:
    """End the user's console sessions at once and, with `tokens`, revoke their API tokens."""
    from workflow.accounts.sessions import end_user_sessions

    end_user_sessions(session, name, now, why)
    if tokens:
        session.execute(
            update(ApiToken)
            .where(col(ApiToken.user_name) == name, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=now)
        )


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
    from workflow.accounts.audited import acting_role, audited_write

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
