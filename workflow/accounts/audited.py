"""The one audited path for every change that is not a case action (`service.perform` is the
other): intake, the registry of government information, users, passwords, API tokens, office
settings, the calendar, remedies, attachments and redaction, the portal, and the sweep's warnings
and flags. Each call checks the acting user's role, bumps the version of what it changes and
appends one ledger event of a known kind (`states.events.EventKind`), inside the caller's
transaction. Nothing else may call `audit.append` (tests/unit/test_architecture.py holds that)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from states.events import EventKind
from workflow.accounts.users import SYSTEM_ACTOR, get_user
from workflow.errors import Forbidden
from workflow.ledger import audit

SELF = "self"  # the role recorded when a person changes something of their own (a token, a password)


class Versioned(Protocol):
    version: int


def acting_role(session: Session, actor: str, roles: tuple[str, ...], *, what: str, own: bool = False) -> str:
    """The first of `roles` the active `actor` holds; `self` when they act on their own account.

    Raises:
        Forbidden: the actor holds none of the roles (and it is not their own thing).
    """
    user = get_user(session, actor)
    held = user.role_set()
    role = next((r for r in roles if r in held), None)
    if role is not None:
        return role
    if own and actor != SYSTEM_ACTOR:
        return SELF
    raise Forbidden(f"用户“{actor}”无权{what}，须由以下角色办理：{'、'.join(roles)}", "role.forbidden", "actor")


def audited_write(
    session: Session,
    *,
    actor: str,
    action: str,
    now: datetime,
    payload: Mapping[str, Any],
    roles: tuple[str, ...],
    what: str,
    changed: Versioned | None = None,
    own: bool = False,
    case_id: int | None = None,
    state: str | None = None,
    moves: tuple[str | None, str] | None = None,
) -> audit.Appended:
    """Check `actor` may do this, bump `changed.version`, append the event (never commits).

    `roles`: who may (any one of them); `own`: the actor acts on something of their own, which
    needs no role; `state`: a case event that does not move the case records it as both ends;
    `moves`: (from, to) of a door that applies its own flow (intake opens a case, the registry
    moves an item), the role being the one that flow allowed.
    """
    kind = known_kind(action)
    role = acting_role(session, actor, roles, what=what, own=own)
    if changed is not None:
        changed.version += 1
        session.add(changed)
    from_state, to_state = moves if moves is not None else (state, state)
    return audit.append(
        session,
        case_id=case_id,
        at=now,
        actor=actor,
        role=role,
        action=kind.value,
        from_state=from_state,
        to_state=to_state,
        payload=payload,
    )


def known_kind(action: str) -> EventKind:
    """The event kind, or an error naming it: the ledger records no kind it does not know."""
    try:
        return EventKind(action)
    except ValueError:
        raise ValueError(f"unknown ledger event kind: {action!r} (states/events.py)") from None


def audited_batch(
    session: Session, events: list[dict[str, Any]], *, changed: Sequence[Versioned] = ()
) -> list[audit.Appended]:
    """Several system events at once (the sweep's warnings and flags): the system actor only.
    `changed`: what the events change (a case the sweep flags), whose version is bumped so a form
    opened before the change is refused rather than silently overwriting it."""
    bad = [e for e in events if e.get("actor") != SYSTEM_ACTOR]
    if bad:
        raise Forbidden("批量写入审计账本仅限系统期限检查", "role.forbidden", "actor")
    for event in events:
        event["action"] = known_kind(str(event["action"])).value
    for row in changed:
        row.version += 1
        session.add(row)
    return audit.append_many(session, events)
