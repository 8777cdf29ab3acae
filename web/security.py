"""Passwords (argon2), signed session cookies, CSRF tokens, bearer tokens and login throttling."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from workflow.config import Settings, SettingsError

SESSION_COOKIE = "ogi_session"
SESSION_MAX_AGE = 8 * 3600  # one working day


def secret_key(settings: Settings) -> str:
    """OGI_SECRET_KEY; on the embedded default a random key kept beside the database."""
    configured = settings.secret_key
    if configured:
        if len(configured) < 32 or configured in {"changethis", "secret"}:
            raise SettingsError("OGI_SECRET_KEY: use at least 32 random characters")
        return configured
    if not settings.database_url.startswith("sqlite"):
        raise SettingsError("OGI_SECRET_KEY: required outside the embedded default")
    path = Path(".ogi-secret")
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


class Sessions:
    """Signed, timestamped session cookies: {"user": name, "csrf": token}."""

    def __init__(self, key: str) -> None:
        self._signer = URLSafeTimedSerializer(key, salt="ogi-session")

    def dump(self, data: dict[str, Any]) -> str:
        return self._signer.dumps(data)

    def load(self, cookie: str | None) -> dict[str, Any] | None:
        if not cookie:
            return None
        try:
            data = self._signer.loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None


class LoginThrottle:
    """At most `limit` failed logins per user and address in `window` seconds, and at most
    `address_limit` per address whatever the user names (against guessing across many accounts);
    per process."""

    def __init__(self, limit: int = 5, window: float = 300.0, address_limit: int = 20) -> None:
        self.limit, self.window, self.address_limit = limit, window, address_limit
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> int:
        q = self._failures.get(key)
        while q and now - q[0] > self.window:
            q.popleft()
        return len(q) if q else 0

    def blocked(self, user: str, address: str) -> bool:
        with self._lock:
            now = time.monotonic()
            return self._recent((user, address), now) >= self.limit or self._recent(("*", address), now) >= (
                self.address_limit
            )

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._failures.setdefault((user, address), deque()).append(now)
            self._failures.setdefault(("*", address), deque()).append(now)

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop((user, address), None)
