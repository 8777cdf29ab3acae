"""Handlers take default periods from the rulebook perform hands them (the office's), never from
the built-in one (issue 30)."""

from dataclasses import replace
from types import SimpleNamespace

from states import DEFAULT_RULEBOOK
from workflow.actions.correction import REQUEST_CORRECTION
from workflow.actions.periods import REQUEST_REASONS


def _step(**periods):
    return SimpleNamespace(data={}, rulebook=replace(DEFAULT_RULEBOOK, **periods))


def test_the_correction_period_defaults_to_the_offices_rulebook():
    step = _step(correction_reply_default_days=10)
    REQUEST_CORRECTION.prepare[0](step)
    assert step.data["period_days"] == 10 != DEFAULT_RULEBOOK.correction_reply_default_days


def test_the_reasons_period_defaults_to_the_offices_rulebook():
    step = _step(reasons_reply_default_days=12)
    REQUEST_REASONS.prepare[0](step)
    assert step.data["reply_days"] == 12 != DEFAULT_RULEBOOK.reasons_reply_default_days


def test_a_period_the_handler_typed_is_kept():
    step = _step(correction_reply_default_days=10)
    step.data["period_days"] = 20
    REQUEST_CORRECTION.prepare[0](step)
    assert step.data["period_days"] == 20
