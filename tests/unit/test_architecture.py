"""The dependency arrows of architecture.md, and the single place a case's state is assigned."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# states ← workflow ← workers, cli, web: the three entry points are peers and never import each
# other, except that `ogi worker`/`ogi beat` start the Celery application.
FORBIDDEN = {
    "states": {"workflow", "workers", "cli", "web", "sqlmodel", "sqlalchemy", "celery", "jinja2", "fastapi"},
    "workflow": {"workers", "cli", "web", "celery", "fastapi", "typer"},
    "workers": {"cli", "web", "fastapi", "typer"},
    "cli": {"web", "fastapi"},
    "web": {"cli", "workers", "typer"},
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
        for pkg in ("states", "workflow", "workers", "cli", "web")
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


def _ledger_writers() -> set[str]:
    """Modules that call the ledger's low-level append (by attribute or by imported name)."""
    writers = set()
    for pkg in ("workflow", "workers", "cli", "web"):
        for p in (ROOT / pkg).rglob("*.py"):
            if p.name == "audit.py" and pkg == "workflow":
                continue
            tree = ast.parse(p.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                called = isinstance(node, ast.Call) and (
                    (
                        isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("append", "append_many")
                        and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "audit"
                    )
                    or (isinstance(node.func, ast.Name) and node.func.id in ("append_many",))
                )
                imported = (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "workflow.ledger.audit"
                    and any(a.name in ("append", "append_many") for a in node.names)
                )
                if called or imported:
                    writers.add(str(p.relative_to(ROOT)))
    return writers


def test_the_ledger_is_written_through_two_doors_only():
    """perform for a case's actions; audited_write / audited_batch for every other change: intake,
    the registry's items, the sweep and the office's administration (issues 13 and 14)."""
    assert _ledger_writers() == {"workflow/service.py", "workflow/accounts/audited.py"}


def test_runtime_code_imports_no_test_only_package():
    """What only the tests need (the `test` extra, e.g. httpx2 for TestClient) is never imported by
    the product: a production install without the extra must run."""
    import re
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    test_only = {re.split(r"[<>=\[ ]", spec)[0].lower().replace("-", "_") for spec in extra["test"]}
    test_only |= {"httpx"}  # httpx2's predecessor, same role
    assert "httpx2" in test_only
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & test_only)
        for pkg in ("states", "workflow", "workers", "cli", "web")
        for p in (ROOT / pkg).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
