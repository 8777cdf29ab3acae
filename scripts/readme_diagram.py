"""Rewrite the Mermaid flow diagram in README.md from states/ (run after changing the flow)."""

from __future__ import annotations

import re
from pathlib import Path

from states import mermaid_diagram

README = Path(__file__).resolve().parents[1] / "README.md"
text = README.read_text(encoding="utf-8")
new = re.sub(r"```mermaid\n.*?```", lambda _: f"```mermaid\n{mermaid_diagram()}\n```", text, count=1, flags=re.S)
README.write_text(new, encoding="utf-8")
