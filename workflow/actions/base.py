"""What a handler is: one action's behaviour in one place, and the step it works on.

`workflow/service.perform` runs the same pipeline for every action (lock, checks, guards, fire,
letters, ledger); each stage asks the action's `Handler` what this action does there. A handler
that leaves a hook at its default says so: the action has no effect at that stage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from states import Action, ActionSpec, Role, RuleBook
from workflow.calendar import WorkCalendar
from workflow.clock.deadlines import ClockFacts, Deadlines
from workflow.clock.facts import Fold
from workflow.ledger.snapshot import CaseFacts
from workflow.models import Case, User
from workflow.notify.handoffs import Handoff


@dataclass
class Step:
    """One action being performed: what `perform` has read, and what the handler adds."""

    session: Session
    case: Case
    action: Action
    spec: ActionSpec
    user: User
    actor: str
    role: Role
    today: date
    now: datetime
    data: dict[str, Any]  # the parsed payload; the handler completes it, the ledger records it
    known: CaseFacts  # the case's facts before the action (its snapshot; its events when letters quote them)
    facts: ClockFacts  # the clock's facts before the action
    before: Deadlines  # the deadlines before the action
    cal: WorkCalendar
    rulebook: RuleBook
    extra: dict[str, Any] = field(default_factory=dict)  # guard facts the handler adds
    ledger: dict[str, Any] = field(default_factory=dict)  # guard facts read from the ledger
    history: list[tuple[str, Mapping[str, Any], date]] = field(default_factory=list)  # with this action


Prepare = Callable[[Step], None]
Effect = Callable[[Case, str, Mapping[str, Any], date], None]
Letters = Callable[[Step], list[str]]
Deliver = Callable[[Step], None]


def spec_letter(step: Step) -> list[str]:
    """The letter the statute table names for the action, if any."""
    return [step.spec.letter] if step.spec.letter else []


@dataclass(frozen=True)
class Handler:
    """An action's behaviour at each stage of `perform`.

    `prepare`: payload defaults and the facts its guards need, in order; `clock`: its fold of the
    clock's facts (None: the clock does not count it); `effects`: what it writes on the case row
    besides the state; `letters`: the letter types it issues; `deliver`: service records besides
    those of its letters; `handoff`: who is told, in their inbox.
    """

    action: Action
    prepare: tuple[Prepare, ...] = ()
    clock: Fold | None = None
    effects: Effect | None = None
    letters: Letters = spec_letter
    deliver: Deliver | None = None
    handoff: Handoff | None = None
    dates_before_receipt: bool = False  # its dates may precede the recorded receipt (it corrects it)
