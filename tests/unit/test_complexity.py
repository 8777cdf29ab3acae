"""No function of the product above cyclomatic complexity 12 as radon counts it (each `and`/`or`
counted), with no exemption (issue 30). ruff's C901 (mccabe) does not count boolean operators."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Function

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 12


def _functions(source: str) -> list[Function]:
    out: list[Function] = []
    for block in cc_visit(source):
        todo = [block]
        while todo:
            item = todo.pop()
            if isinstance(item, Function):
                out.append(item)
            todo += list(getattr(item, "methods", ())) + list(getattr(item, "closures", ()))
    return out


def test_no_function_is_above_the_limit():
    over = sorted(
        f"{path.relative_to(ROOT)}:{f.lineno} {f.fullname} ({f.complexity})"
        for package in ("states", "workflow", "workers", "cli", "web")
        for path in (ROOT / package).rglob("*.py")
        if "versions" not in path.parts
        for f in _functions(path.read_text(encoding="utf-8"))
        if f.complexity > LIMIT
    )
    assert over == []


def test_the_count_includes_boolean_operators():
    source = "def f(a, b, c):\n    return a and b or c\n"
    assert _functions(source)[0].complexity == 3
