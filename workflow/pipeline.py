"""One `perform` for every flow: the stages an action runs through, in one transaction, whatever
it acts on (a case, a registry item). A flow is data (`Flow`): how its row is locked, which
actions it knows and who may take them from which state; what is particular to it (its payload,
its guards, its handlers' effects, its ledger record and projection) is its `take` stage.

    action named -> transaction -> row locked at the version the caller saw -> acting role
    -> (ownership) -> source state -> the flow's own stages -> commit; logged either way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

from sqlmodel import Session

from states import ROLE_LABELS, Role
from workflow.accounts.users import get_user
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from workflow.models import User
from workflow.timeutil import local_date

R = TypeVar("R")  # the row a flow acts on
A = TypeVar("A", bound=Enum)  # its actions
T = TypeVar("T")  # what taking one returns


class Spec(Protocol):
    """What every flow's statute table says of an action."""

    @property
    def label(self) -> str: ...

    @property
    def sources(self) -> tuple[Any, ...]: ...

    @property
    def roles(self) -> frozenset[Role]: ...


@dataclass
class Taking(Generic[R, A]):
    """An action as the shared stages leave it to the flow's own: row locked, role and state checked."""

    session: Session
    row: R
    action: A
    spec: Spec
    user: User
    actor: str
    role: Role
    state: Enum
    now: datetime
    today: date
    payload: Mapping[str, object]


@dataclass(frozen=True)
class Flow(Generic[R, A, T]):
    """One flow as data. `field`, `noun` and `rule` word its refusals; `lock` reads the row FOR UPDATE;
    `state_of` reads its state; `illegal` says why an action cannot leave a state; `may_act`
    checks more than the role (a case's ownership); `take` runs the flow's own stages."""

    field: str  # case, item: the field a refusal names
    noun: str  # 案件, 条目: what the refusals call the row
    rule: str  # the refusal code of an unknown row
    actions: type[A]
    specs: Mapping[A, Spec]
    lock: Callable[[Session, int], R | None]
    state_of: Callable[[R], Enum]
    illegal: Callable[[Enum, A], str]
    take: Callable[[Taking[R, A]], T] | None = None  # None: each call names its own (perform's options)
    may_act: Callable[[Session, R, User, Spec], None] | None = None

    def action(self, name: str) -> A:
        """The action called `name`.

        Raises:
            InvalidInput: no action of this flow has that name.
        """
        try:
            return self.actions(name)
        except ValueError:
            known = ", ".join(str(a.value) for a in self.actions)
            message = f"action：'{name}' 不是已知的办理动作，可选：{known}"
            raise InvalidInput(message, "action.unknown", "action") from None


def acting_role(user: User, spec: Spec) -> Role:
    """The first role of the action's that the user holds (in the order of `Role`).

    Raises:
        Forbidden: the user holds none of them.
    """
    held = user.role_set()
    for role in Role:
        if role in spec.roles and role.value in held:
            return role
    allowed = "、".join(ROLE_LABELS[r] for r in Role if r in spec.roles)
    named = "、".join(ROLE_LABELS[r] for r in Role if r.value in held)
    raise Forbidden(
        f"用户“{user.name}”（角色：{named or '无'}）无权办理“{spec.label}”，须由以下角色办理：{allowed}",
        "role.forbidden",
        "actor",
    )


def locked(flow: Flow[R, A, T], session: Session, row_id: int, expected_version: int | None) -> R:
    """The row, locked until the transaction ends, as the caller last saw it.

    Raises:
        NotFound: no such row. Conflict: it changed since the caller read it.
    """
    row = flow.lock(session, row_id)
    if row is None:
        raise NotFound(f"{flow.field}：没有编号为 {row_id} 的{flow.noun}", flow.rule, flow.field)
    version = getattr(row, "version")  # noqa: B009 (every flow's row carries its version)
    if expected_version is not None and version != expected_version:
        raise Conflict(
            f"{flow.noun}已被他人更新（当前版本 {version}，您看到的是版本 {expected_version}），请刷新后重试",
            field="expected_version",
        )
    return row


def source_state(flow: Flow[R, A, T], row: R, spec: Spec, action: A) -> Enum:
    """The row's state, if the action may leave it.

    Raises:
        Refused: the action cannot be taken from this state.
    """
    state = flow.state_of(row)
    if state not in spec.sources:
        raise Refused(flow.illegal(state, action), "flow.illegal_transition", "action")
    return state


def run(
    flow: Flow[R, A, T],
    row_id: int,
    action: str,
    actor: str,
    payload: Mapping[str, object] | None = None,
    expected_version: int | None = None,
    *,
    settings: Settings,
    take: Callable[[Taking[R, A]], T] | None = None,
) -> T:
    """Take `action` on the row as `actor`, through the shared stages and the flow's own (`take`,
    else the flow's), in one transaction: all of it is written, or nothing.

    Raises:
        NotFound, Forbidden, InvalidInput, Refused, Conflict: nothing is written.
    """
    act = flow.action(action)
    spec = flow.specs[act]
    own = take or flow.take
    assert own is not None, f"the {flow.field} flow names no stages of its own"
    now = settings.now()
    with transaction(settings) as session:
        row = locked(flow, session, row_id, expected_version)
        user = get_user(session, actor)
        role = acting_role(user, spec)
        if flow.may_act is not None:
            flow.may_act(session, row, user, spec)
        state = source_state(flow, row, spec, act)
        taking = Taking(session, row, act, spec, user, actor, role, state, now, local_date(now), payload or {})
        return own(taking)
