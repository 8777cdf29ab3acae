"""The product's import graph: no circle anywhere, every import pointing down the layers written
here, few imports inside functions, and a top of `workflow/` small enough to read (issue 30).

Every import counts, at module level or inside a function: an import moved into a function to
dodge a circular import at start-up still ties the two modules together, so it is an arrow here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("states", "workflow", "workers", "cli", "web")

# Lowest first. A module may import modules of its own layer or of a layer below it, never one
# above. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("states",),  # the law as data: no I/O, imports nothing of the project
    ("workflow.models",),  # every table
    ("workflow.errors", "workflow.config"),
    ("workflow.timeutil", "workflow.logs"),
    ("workflow.moment",),  # real and simulated time
    ("workflow.db",),  # engines and transactions (they hold the simulated-time rule)
    ("workflow.calendar", "workflow.clock"),  # working days and the statutory clock: computation
    ("workflow.office",),  # the office's configuration, read by everything above
    ("workflow.ledger",),  # the hash-chained ledger: written with the acting role as a value
    ("workflow.accounts",),  # who acts: users, the role-checked door to the ledger, sessions, tokens
    ("workflow.cases", "workflow.files"),  # a case outside its actions; attachments
    ("workflow.registry", "workflow.redaction"),
    ("workflow.admin", "workflow.letters"),  # what an admin changes; letters
    ("workflow.notify",),  # inboxes, hand-offs, applicant notices, the outbox
    ("workflow.actions",),  # one handler per action
    ("workflow.service",),  # perform: the one audited path of an action
    ("workflow.portal", "workflow.reports", "workflow.bulk"),  # built on perform
    ("workflow.sweep", "workflow.demo", "workflow.schema", "workflow.migrations"),
    ("workers",),  # Celery: tasks are thin wrappers around workflow/
    ("cli", "web"),  # the interfaces
)
WORKFLOW_TOP_LIMIT = 12
FUNCTION_IMPORT_LIMIT = 5


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "versions" not in path.parts:  # Alembic revisions are scripts, not modules
                found[_module_name(path)] = path
    return found


def _target(name: str) -> str | None:
    """The project module an import names, or None for a library."""
    modules = _modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path) -> Iterator[tuple[ast.stmt, str, bool]]:
    """(statement, module imported, inside a function) for each project import of a file."""
    me = _module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.stmt, str, bool]]:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if (target := _target(alias.name)) is not None:
                        yield child, target, in_function
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = me.split(".")[: len(me.split(".")) - child.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    target = _target(f"{base}.{alias.name}") or _target(base)
                    if target is not None:
                        yield child, target, in_function
            yield from walk(child, inside)

    yield from walk(tree, False)


@cache
def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in _modules()}
    for name, path in _modules().items():
        graph[name] |= {target for _, target, _ in _imports(path) if target != name}
    return graph


def _layer(module: str) -> int:
    best, layer = "", -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, layer = prefix, i
    return layer


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_module_has_a_layer():
    assert [m for m in _modules() if m not in ("workflow",) and _layer(m) < 0] == []


def test_no_import_circle():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_point_down_the_layers():
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in _graph().items()
        for target in targets
        if target != "workflow" and _layer(target) > _layer(source)
    )
    assert upward == []


def test_the_layer_check_sees_an_upward_import():
    assert _layer("workflow.ledger.audit") < _layer("workflow.accounts.users")
    assert _layer("workflow.office.settings") < _layer("workflow.admin.report_texts")
    assert _layer("states.machine") < _layer("workflow.models.cases") < _layer("web.app")


def test_few_imports_inside_functions_each_with_its_reason():
    """The CLI and web entry points may import lazily (start-up time); the engine and the law
    import at the top, apart from at most five imports that say why on their line or the one above."""
    inside = []
    for name, path in _modules().items():
        if not name.startswith(("workflow", "states")):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for statement, _, in_function in _imports(path):
            if in_function:
                here, above = lines[statement.lineno - 1], lines[statement.lineno - 2]
                said = "#" in here or above.strip().startswith("#")
                inside.append((f"{name}:{statement.lineno}", said))
    unique = dict(inside)
    assert len(unique) <= FUNCTION_IMPORT_LIMIT, sorted(unique)
    assert [where for where, said in unique.items() if not said] == []


def test_the_top_of_workflow_holds_at_most_twelve_modules():
    top = sorted(p.stem for p in (ROOT / "workflow").glob("*.py") if p.name != "__init__.py")
    assert len(top) <= WORKFLOW_TOP_LIMIT, top


@pytest.mark.parametrize(
    "package",
    sorted(
        str(p.parent.relative_to(ROOT))
        for pkg in ("workflow", "web")
        for p in (ROOT / pkg).rglob("__init__.py")
        if "migrations" not in p.parts
    ),
)
def test_each_package_says_what_it_holds_and_may_import(package):
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{package}/__init__.py has no docstring"
    assert "may import" in doc.lower(), f"{package}/__init__.py does not say what it may import"
