"""One handler per action: `HANDLERS[action]` says what the action does at each stage of
`workflow/service.perform` (cosmicpython's command handlers are the model). Adding an action
means adding its `ActionSpec` in states/ and its handler here; both tables are checked to be
complete when this package is imported, so a forgotten action never falls through silently.

`checks.py` replays the handlers' effects against the case rows for `ogi audit verify`;
`provisional.py` holds the rule the handlers and the sweep share: a provisional date never lapses a case.

May import: `states/` and every package of the band below it (`cases/`, `letters/`, `notify/`,
`office/`, `files/`) and their foundations; never `service` or anything built on perform."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from states import Action
from workflow.actions import answer, consultation, correction, delivery, fees, periods, receipt
from workflow.actions.base import Handler, Step
from workflow.clock.facts import APPLY, NO_CLOCK_EFFECT
from workflow.models import Case

__all__ = ["HANDLERS", "Handler", "Step", "apply_effects", "handler_for"]


def _registry(*families: tuple[Handler, ...]) -> dict[Action, Handler]:
    table: dict[Action, Handler] = {}
    for handler in (h for family in families for h in family):
        if handler.action in table:
            raise RuntimeError(f"two handlers for {handler.action.value}")
        table[handler.action] = handler
    missing = [a.value for a in Action if a not in table]
    if missing:
        raise RuntimeError(f"actions without a handler: {', '.join(missing)}")
    # The clock replays the ledger through APPLY: each action's entry must be its handler's step.
    astray = [a.value for a, h in table.items() if APPLY.get(a.value) is not h.clock]
    if astray:
        raise RuntimeError(f"clock folds differ from the handlers' for: {', '.join(astray)}")
    unnamed = [a.value for a, h in table.items() if h.clock is None and a.value not in NO_CLOCK_EFFECT]
    if unnamed:
        raise RuntimeError(f"actions the clock would not recognise: {', '.join(unnamed)}")
    return table


HANDLERS: dict[Action, Handler] = _registry(
    receipt.HANDLERS,
    correction.HANDLERS,
    consultation.HANDLERS,
    fees.HANDLERS,
    periods.HANDLERS,
    answer.HANDLERS,
    delivery.HANDLERS,
)


def handler_for(action: Action) -> Handler:
    return HANDLERS[action]


def apply_effects(case: Case, action: Action, actor: str, data: Mapping[str, Any], today: date) -> None:
    """What the action writes on the case row besides its state (the audit projection replays it)."""
    effects = HANDLERS[action].effects
    if effects is not None:
        effects(case, actor, data, today)
