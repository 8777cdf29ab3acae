"""Rendering letters from their Jinja2 templates: one sandboxed environment, autoescaped,
failing loudly on anything undefined. Applicant text is only ever a value in the context."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from workflow.config import letter_template_dir
from workflow.letters.registry import LETTERS


def template_dir() -> Path:
    """Where the letter templates are: OGI_TEMPLATE_DIR, the checkout, or the installed copy."""
    return letter_template_dir()


def yuan(value: int | None) -> str:
    return "" if value is None else f"{value:,}元"


@lru_cache(maxsize=4)
def environment(directory: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yuan"] = yuan
    env.globals["answer_kinds"] = frozenset(k for k, spec in LETTERS.items() if spec.series == "答")
    return env


def render_html(kind: str, context: Mapping[str, Any]) -> str:
    """The letter as an HTML document (the preview, and the source of the Word layout)."""
    template = environment(str(template_dir())).get_template(LETTERS[kind].template)
    return template.render(**context)
