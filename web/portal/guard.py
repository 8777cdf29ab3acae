"""The portal's protections against automation and guessing: a CAPTCHA made here (the `captcha`
package renders digits as an image and as speech, nothing is fetched from outside), and sliding-
window throttles per address and per tracking number. Both are per process, like the console's
login throttle; OGI_PORTAL_CAPTCHA=off turns the CAPTCHA off (tests, simulation databases)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha
from fastapi import HTTPException, Request

CAPTCHA_TTL = 600.0  # seconds a challenge stays valid
CAPTCHA_DIGITS = 5
_MAX_CHALLENGES = 5000
THROTTLED = "操作过于频繁，请稍后再试"


class Throttle:
    """At most `limit` hits per key in `window` seconds; keys whose hits are all older than the
    window are dropped once there are many, so a flood of addresses cannot grow it without end."""

    def __init__(self, limit: int, window: float, max_keys: int = 50_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        for key in [k for k, q in self._hits.items() if not q or now - q[-1] > self.window]:
            del self._hits[key]

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._hits.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def hit(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            if len(self._hits) >= self.max_keys:
                self._prune(now)
            self._recent(key, now).append(now)


class Captchas:
    """One-use challenges kept in memory: id -> (digits, expiry)."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._image = ImageCaptcha(width=220, height=80)
        self._audio = AudioCaptcha()

    def new(self) -> str:
        digits = "".join(secrets.choice("23456789") for _ in range(CAPTCHA_DIGITS))
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._items[key] = (digits, time.monotonic() + CAPTCHA_TTL)
            while len(self._items) > _MAX_CHALLENGES:
                self._items.popitem(last=False)
        return key

    def _digits(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
        return item[0] if item and item[1] > time.monotonic() else None

    def image(self, key: str) -> bytes | None:
        digits = self._digits(key)
        if digits is None:
            return None
        return self._image.generate(digits, bg_color=(255, 255, 255), fg_color=(20, 30, 90)).getvalue()

    def audio(self, key: str) -> bytes | None:
        digits = self._digits(key)
        return bytes(self._audio.generate(digits)) if digits else None

    def check(self, key: str, answer: str) -> bool:
        """True once for the right answer; the challenge is used up either way."""
        with self._lock:
            item = self._items.pop(key, None)
        if item is None or item[1] <= time.monotonic():
            return False
        given = answer.strip().translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})
        return secrets.compare_digest(given.encode(), item[0].encode())


@dataclass
class Guards:
    captchas: Captchas = field(default_factory=Captchas)
    applications: Throttle = field(default_factory=lambda: Throttle(10, 3600.0))  # per address
    lookups: Throttle = field(default_factory=lambda: Throttle(10, 900.0))  # failed, per address
    per_number: Throttle = field(default_factory=lambda: Throttle(20, 3600.0))  # failed, per tracking number
    challenges: Throttle = field(default_factory=lambda: Throttle(60, 600.0))  # CAPTCHA images, per address
    acts: Throttle = field(default_factory=lambda: Throttle(30, 3600.0))  # online acts, per address


_lock = threading.Lock()


def guards(request: Request) -> Guards:
    """The app's guards, made on first use."""
    state = request.app.state
    with _lock:
        if not hasattr(state, "portal_guards"):
            state.portal_guards = Guards()
    found: Guards = state.portal_guards
    return found


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def refuse_if(throttle: Throttle, key: str) -> None:
    """Raises: HTTPException 429 while the key is over its limit."""
    if throttle.blocked(key):
        raise HTTPException(429, THROTTLED, headers={"Retry-After": str(int(throttle.window))})
