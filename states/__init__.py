"""The disclosure-request flow as data: states, actions, roles, guards, the rulebook.

Pure: imports only the standard library and `transitions`. Readable by a lawyer.
"""

from __future__ import annotations

from states.lifecycle import ROLE_LABELS, STATE_LABELS, TERMINAL_STATES, Action, ActionSpec, CaseState, Role
from states.machine import IllegalMove, allowed_actions, fire, mermaid_diagram
from states.outcomes import DISCLOSING_OUTCOMES, GROUNDS, OUTCOMES, Ground, Outcome, ReviewConclusion
from states.rulebook import DEFAULT_RULEBOOK, RuleBook
from states.statute import ACTIONS

__all__ = [
    "ACTIONS",
    "Action",
    "ActionSpec",
    "CaseState",
    "DEFAULT_RULEBOOK",
    "DISCLOSING_OUTCOMES",
    "GROUNDS",
    "Ground",
    "IllegalMove",
    "OUTCOMES",
    "Outcome",
    "ROLE_LABELS",
    "ReviewConclusion",
    "Role",
    "RuleBook",
    "STATE_LABELS",
    "TERMINAL_STATES",
    "allowed_actions",
    "fire",
    "mermaid_diagram",
]
