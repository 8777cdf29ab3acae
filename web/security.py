"""Passwords (argon2), signed session cookies, CSRF tokens, bearer tokens and login throttling."""

from __future__ import annotations

import ipaddress
import secrets
import threading
import time
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
    """Signed, timestamped session cookies carrying only the server-side session's id: {"sid": id}."""

    def __init__(self, key: str) -> None:
        self._signer = URLSafeTimedSerializer(key, salt="ogi-session")

    def dump(self, data: dict[str, Any]) -> str:
        return self._signer.dumps(data)

    def load(self, cookie: str | None) -> dict[str, Any] | None:
        if not cookie or len(cookie) > 4096:
            return None
        try:
            data = self._signer.loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None


def parse_networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """OGI_TRUSTED_PROXIES: comma-separated addresses or networks (10.0.0.0/8, 127.0.0.1)."""
    nets = []
    for part in (p.strip() for p in raw.split(",")):
        if part:
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise SettingsError(f"OGI_TRUSTED_PROXIES: '{part}' is not an address or network") from None
    return tuple(nets)


def _trusted(host: str, nets: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in net for net in nets)


def client_address(
    peer: str | None, forwarded_for: str | None, nets: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
) -> str:
    """The client's address: the socket's peer, unless that peer is a trusted proxy; then the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left are
    whatever the client chose to send)."""
    address = peer or "-"
    if not forwarded_for or not _trusted(address, nets):
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        address = hop[:64]
        if not _trusted(hop, nets):
            break
    return address


class LoginThrottle:
    """Failed logins per (account, address) and per address, never per account alone, so an
    attacker's address never locks the owner out from elsewhere. After `limit` failures (or
    `address_limit` for an address whatever the names) each further failure doubles the wait,
    from `base` seconds up to `cap`; `window` seconds without a failure forgive them. Per process."""

    def __init__(
        self, limit: int = 5, address_limit: int = 20, window: float = 900.0, base: float = 30.0, cap: float = 3600.0
    ) -> None:
        self.limit, self.address_limit, self.window, self.base, self.cap = limit, address_limit, window, base, cap
        self._state: dict[tuple[str, str], tuple[int, float, float]] = {}  # key → (failures, last, blocked until)
        self._lock = threading.Lock()

    def _get(self, key: tuple[str, str], now: float) -> tuple[int, float, float]:
        count, last, until = self._state.get(key, (0, 0.0, 0.0))
        if count and now - last > self.window and now >= until:
            self._state.pop(key, None)
            return 0, 0.0, 0.0
        return count, last, until

    def wait(self, user: str, address: str) -> float:
        """Seconds until this user may try again from this address (0: now)."""
        with self._lock:
            now = time.monotonic()
            until = max(self._get((user, address), now)[2], self._get(("*", address), now)[2])
            return max(0.0, until - now)

    def blocked(self, user: str, address: str) -> bool:
        return self.wait(user, address) > 0

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            for key, limit in (((user, address), self.limit), (("*", address), self.address_limit)):
                count = self._get(key, now)[0] + 1
                until = now + min(self.cap, self.base * 2 ** (count - limit)) if count >= limit else 0.0
                self._state[key] = (count, now, until)

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._state.pop((user, address), None)
