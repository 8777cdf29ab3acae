"""Every action has exactly one handler, and the clock replays each action through that handler's
fold (workflow/actions): adding an action without saying what it does fails here."""

from __future__ import annotations

from datetime import date

import pytest

from states import ACTIONS, Action
from workflow.actions import HANDLERS, answer, consultation, correction, delivery, fees, periods, receipt
from workflow.clock.facts import APPLY, NO_CLOCK_EFFECT, ClockFacts, UnknownEvent, apply_event, facts_from_events

FAMILIES = (receipt, correction, consultation, fees, periods, answer, delivery)


def test_every_action_has_exactly_one_handler():
    declared = [h.action for family in FAMILIES for h in family.HANDLERS]
    assert sorted(declared) == sorted(Action)
    assert len(declared) == len(set(declared))
    assert set(HANDLERS) == set(Action) == set(ACTIONS)
    assert all(h.action is a for a, h in HANDLERS.items())


@pytest.mark.parametrize("action", list(Action))
def test_the_clock_replays_an_action_through_its_handler(action):
    handler = HANDLERS[action]
    if handler.clock is None:
        assert action.value in NO_CLOCK_EFFECT and action.value not in APPLY
    else:
        assert APPLY[action.value] is handler.clock


def test_the_clock_refuses_an_event_kind_it_was_not_told_about():
    with pytest.raises(UnknownEvent):
        apply_event(ClockFacts(), "teleport", {}, date(2026, 1, 5))


def test_the_extension_is_counted_through_its_handler():
    facts = facts_from_events([("extend", {"days": 15, "reason": "x"}, date(2026, 3, 2))])
    assert facts.extension_days == 15
