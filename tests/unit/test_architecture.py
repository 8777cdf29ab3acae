"""The dependency arrows of architecture.md, and the single place a case's state is assigned."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "states": {"workflow", "workers", "cli", "sqlmodel", "sqlalchemy", "celery", "jinja2"},
    "workflow": {"workers", "cli", "celery"},
    "workers": {"cli"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_downward(package):
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN[package]) for p in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_case_state_is_assigned_in_one_place():
    hits = [
        str(p.relative_to(ROOT))
        for pkg in ("states", "workflow", "workers", "cli")
        for p in (ROOT / pkg).rglob("*.py")
        if "case.state = " in p.read_text(encoding="utf-8")
    ]
    assert hits == ["workflow/service.py"]


def test_machine_has_no_auto_transitions():
    from states.machine import _machine

    machine, _ = _machine()
    assert not machine.auto_transitions
    assert not any(t.startswith("to_") for t in machine.events)


@pytest.mark.parametrize("package", ["states"])
def test_exported_names_exist_and_are_sorted(package):
    module = importlib.import_module(package)
    assert module.__all__ == sorted(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


def test_readme_shows_the_current_flow_diagram():
    from states import mermaid_diagram

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert mermaid_diagram() in readme, "run: python scripts/readme_diagram.py"
