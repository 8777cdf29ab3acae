"""Settings for the CLI process, read once."""

from __future__ import annotations

from functools import lru_cache

from workflow.config import Settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
