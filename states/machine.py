"""One `transitions` machine built from `ACTIONS`, driven with a plain token.

SQLModel rows reject the attributes `transitions` attaches (transitions issue #635), so the
machine moves a throwaway token whose state is the case's state. `auto_transitions` is off: the
only way between states is an action listed in `ACTIONS`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from transitions import Machine, MachineError

from states.lifecycle import STATE_LABELS, Action, CaseState
from states.statute import ACTIONS


class IllegalMove(Exception):
    """The action cannot be taken from the case's current state."""

    def __init__(self, state: CaseState, action: Action) -> None:
        allowed = "、".join(ACTIONS[a].label for a in allowed_actions(state)) or "无"
        super().__init__(
            f"当前状态“{STATE_LABELS[state]}”下不能办理“{ACTIONS[action].label}”；"
            f"此状态下可办理：{allowed}（规则 flow.illegal_transition）"
        )
        self.state = state
        self.action = action


class _Token:
    state: CaseState


def _condition(name: str) -> Any:
    def check(event: Any) -> bool:
        return bool(event.kwargs["conditions"].get(name, False))

    check.__name__ = name
    return check


def transition_table() -> list[dict[str, Any]]:
    """The transitions as `transitions` wants them, in the order the alternatives are tried."""
    table: list[dict[str, Any]] = []
    for action, spec in ACTIONS.items():
        sources = [s.value for s in spec.sources]
        if spec.alt_dest is not None:
            cond, alt = spec.alt_dest
            table.append(
                {"trigger": action.value, "source": sources, "dest": alt.value, "conditions": [_condition(cond)]}
            )
        dest = spec.dest.value if spec.dest is not None else None
        table.append({"trigger": action.value, "source": sources, "dest": dest})
    return table


_local = threading.local()


def _machine() -> tuple[Machine, _Token]:
    # One machine and one token per thread, the token added once: add_model/remove_model on every
    # call showed in perform()'s profile, and workers are threaded, so nothing is shared.
    pair: tuple[Machine, _Token] | None = getattr(_local, "pair", None)
    if pair is None:
        token = _Token()
        machine = Machine(
            model=token,
            states=[s.value for s in CaseState],
            transitions=transition_table(),
            initial=CaseState.RECEIVED.value,
            auto_transitions=False,
            send_event=True,
        )
        pair = _local.pair = (machine, token)
    return pair


def fire(state: CaseState, action: Action, conditions: Mapping[str, bool] | None = None) -> CaseState:
    """The state the case moves to when `action` is taken in `state`.

    Raises:
        IllegalMove: the action is not available in this state.
    """
    machine, token = _machine()
    machine.set_state(state.value, model=token)
    try:
        moved = token.trigger(action.value, conditions=dict(conditions or {}))  # type: ignore[attr-defined]
    except MachineError as exc:
        raise IllegalMove(state, action) from exc
    if not moved:  # every alternative's condition failed: cannot happen with a default branch
        raise IllegalMove(state, action)
    return CaseState(token.state)


def allowed_actions(state: CaseState) -> list[Action]:
    """Actions whose source states include `state`, before roles and guards are applied."""
    return [a for a, spec in ACTIONS.items() if state in spec.sources]


def mermaid_diagram() -> str:
    """The flow as a Mermaid state diagram, generated from the same table the engine runs."""
    lines = ["stateDiagram-v2"]
    for state in CaseState:
        lines.append(f"    {state.value} : {state.value} {STATE_LABELS[state]}")
    lines.append("    [*] --> received : case receive")
    in_state: dict[CaseState, list[str]] = {}
    for action, spec in ACTIONS.items():
        for source in spec.sources:
            if spec.alt_dest is not None:
                cond, alt = spec.alt_dest
                lines.append(f"    {source.value} --> {alt.value} : {action.value} [{cond}]")
            if spec.dest is None or spec.dest == source:
                in_state.setdefault(source, []).append(action.value)
            else:
                lines.append(f"    {source.value} --> {spec.dest.value} : {action.value}")
    for state, actions in in_state.items():
        lines.append(f"    note right of {state.value} : in-state: {', '.join(actions)}")
    for state in (CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.DEEMED_ABANDONED, CaseState.ABANDONED_UNPAID):
        lines.append(f"    {state.value} --> [*]")
    return "\n".join(lines)
