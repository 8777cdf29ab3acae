"""Every kind of event the ledger records is a member of `states.events.EventKind`: the case's
actions by construction, the other doors' kinds checked here in the source and refused at run time
by `workflow/accounts/audited.py`."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from states import ACTIONS, Action
from states.events import CASE_ACTION_EVENTS, EVENT_LABELS, EventKind, info_event
from states.registry import InfoAction

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workflow", "web", "cli", "workers")


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _constant(path: Path, tree: ast.Module, name: str) -> object:
    """A name's value: assigned at module level, or imported from another module."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
        if isinstance(node, ast.ImportFrom) and node.module and any(a.name == name for a in node.names):
            return getattr(importlib.import_module(node.module), name)
    raise LookupError(name)


def _kinds(path: Path, tree: ast.Module, value: ast.expr) -> list[object] | None:
    """The event kinds an expression can name; None when the caller passes its own (checked where
    that value comes from, and by `audited.known_kind` when written)."""
    if isinstance(value, ast.Constant):
        return [value.value]
    if isinstance(value, ast.IfExp):
        return (_kinds(path, tree, value.body) or []) + (_kinds(path, tree, value.orelse) or [])
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "EventKind":
        return [getattr(EventKind, value.attr)]
    if isinstance(value, ast.Name) and value.id.isupper():
        return [_constant(path, tree, value.id)]
    return None


def _written_kinds() -> dict[str, list[object]]:
    """Each `action=` given to a ledger writer, and each `"action":` of an event dict, by module."""
    found: dict[str, list[object]] = {}
    writers = {"audited_write", "append", "append_many", "_ledger", "_change_calendar", "_record"}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                values: list[ast.expr] = []
                if isinstance(node, ast.Call):
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                    if name in writers:
                        values += [k.value for k in node.keywords if k.arg == "action"]
                elif isinstance(node, ast.Dict) and any(
                    isinstance(k, ast.Constant) and k.value == "at" for k in node.keys
                ):  # an event for audited_batch: it has "at" and "action"
                    values += [v for k, v in zip(node.keys, node.values, strict=True)
                               if isinstance(k, ast.Constant) and k.value == "action"]  # fmt: skip
                for value in values:
                    kinds = _kinds(path, tree, value)
                    if kinds is not None:
                        found.setdefault(str(path.relative_to(ROOT)), []).extend(kinds)
    return found


def test_every_event_kind_written_in_the_source_is_known():
    found = _written_kinds()
    unknown = {mod: [k for k in kinds if k not in set(EventKind)] for mod, kinds in found.items()}
    assert {m: k for m, k in unknown.items() if k} == {}
    # the scan sees the other doors (so the test can fail)
    assert {
        "workflow/cases/intake.py",
        "workflow/sweep/cases.py",
        "workflow/admin/calendar.py",
        "workflow/admin/users.py",
    } <= set(found)


def test_a_case_action_is_an_event_kind_of_the_same_name():
    assert {EventKind(a.value) for a in Action} == CASE_ACTION_EVENTS
    assert all(EVENT_LABELS[EventKind(a.value)] == spec.label for a, spec in ACTIONS.items())


def test_every_registry_action_is_an_event_kind():
    assert all(info_event(a) in set(EventKind) for a in InfoAction)


def test_every_event_kind_has_a_chinese_label():
    assert set(EVENT_LABELS) == set(EventKind)
    assert all(label and not label.isascii() for label in EVENT_LABELS.values())


def test_the_audited_door_refuses_an_unknown_event_kind():
    from workflow.accounts.audited import known_kind

    assert known_kind("escalate") is EventKind.ESCALATE
    with pytest.raises(ValueError, match="teleport"):
        known_kind("teleport")
