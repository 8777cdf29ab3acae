"""The shape rules of style.md: no module over 400 lines, no function over 60 (migrations aside).
Complexity (ruff C901, max 12) is checked by ruff itself, with no exemptions (see below)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("states", "workflow", "workers", "cli", "web")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Being split on other branches while this test was written (issue 13; states/guards.py and
# states/lifecycle.py are done): the lead empties this set once the console's split and perform's
# are merged. Nothing may be added to it.
NOT_YET_SPLIT: set[str] = set()  # every module once too long has been split


def _modules() -> list[Path]:
    return [
        p
        for pkg in PACKAGES
        for p in sorted((ROOT / pkg).rglob("*.py"))
        if "migrations" not in p.relative_to(ROOT).parts
    ]


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_over_400_lines():
    long = {
        _name(p): n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert {k: v for k, v in long.items() if k not in NOT_YET_SPLIT} == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in _modules():
        if _name(path) in NOT_YET_SPLIT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{_name(path)}:{node.name}"] = lines
    assert long == {}


def test_the_allowlist_names_only_files_that_exist():
    assert all((ROOT / name).is_file() for name in NOT_YET_SPLIT)


def test_complexity_is_capped_with_no_exemption():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    assert "C901" in config["select"] and config["mccabe"]["max-complexity"] == 12
    assert not any("C901" in rules for rules in config.get("per-file-ignores", {}).values())
    noqa = [
        f"{_name(p)}:{i}"
        for p in _modules()
        if _name(p) not in NOT_YET_SPLIT
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "noqa: C901" in line or "noqa:C901" in line
    ]
    assert noqa == []
