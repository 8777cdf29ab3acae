"""A case's state, a consultation's party, an application's channel, an answer's outcome and the
clock's state are compared through their enums outside states/, never as string literals: a
renamed value then fails at import, not silently in a comparison (issue 30)."""

from __future__ import annotations

import ast
from pathlib import Path

from states import CaseState, Outcome
from states.registry import ItemState
from states.vocab import Channel, ClockState, ConsultationParty

ROOT = Path(__file__).resolve().parents[2]
VOCABULARIES = (CaseState, ItemState, Outcome, Channel, ConsultationParty, ClockState)
VALUES = {member.value for vocabulary in VOCABULARIES for member in vocabulary}


def _literals(node: ast.Compare) -> list[str]:
    out = []
    for side in (node.left, *node.comparators):
        elements = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
        out += [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return out


def _compared(source: str) -> list[tuple[int, str]]:
    return [
        (node.lineno, value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Compare)
        for value in _literals(node)
        if value in VALUES
    ]


def test_no_vocabulary_value_is_compared_as_a_string_outside_states():
    found = [
        f"{path.relative_to(ROOT)}:{line} '{value}'"
        for package in ("workflow", "workers", "cli", "web")
        for path in (ROOT / package).rglob("*.py")
        if "versions" not in path.parts
        for line, value in _compared(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_scan_sees_a_literal_comparison():
    assert _compared('if case.clock_state == "running" or party in ("third_party",):\n    pass\n') == [
        (1, "running"),
        (1, "third_party"),
    ]
