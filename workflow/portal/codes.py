"""Tracking numbers and query codes. The query code is random, shown to the applicant once and
kept only as an argon2 hash; checking a code against an unknown number still verifies a hash, so
a wrong code and an unknown number cost the same time and give the same answer."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# No 0/O, 1/I/L: read off a printed receipt and typed on a phone without confusion.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
# Light enough for a page request, still far beyond guessing once throttled.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_NUMBER_NOISE = re.compile(r"[\s〔〕\[\]()（）【】［］第号#\-—_.]")
_DUMMY = _hasher.hash(secrets.token_hex(16))


def new_code() -> str:
    """A fresh query code, e.g. 7KQM-2RXD-H9TB (the dashes are optional when typed)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s\-—_]", "", code).upper()[:64]


def hash_code(code: str) -> str:
    return _hasher.hash(normalise_code(code))


def code_matches(stored: str | None, code: str) -> bool:
    """Verify the code; with no stored hash (an unknown number) verify a dummy to take the same time."""
    try:
        ok = _hasher.verify(stored or _DUMMY, normalise_code(code))
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored is not None


def number_key(number: str) -> str:
    """The tracking number as looked up: brackets, spaces and 第/号 dropped, letters upper-cased."""
    return _NUMBER_NOISE.sub("", number).upper()[:60]
