"""Settings, read once from the environment and passed down. The only reader of os.environ."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_DATABASE_URL = "sqlite:///ogi.db"


class SettingsError(ValueError):
    """An environment variable holds a value the product cannot use."""


def letter_template_dir() -> Path:
    """The letter templates: OGI_TEMPLATE_DIR, else the checkout's templates/answer_letters, else
    the copy a regular install puts under <prefix>/share/ogi-workflow."""
    explicit = os.environ.get("OGI_TEMPLATE_DIR")
    if explicit:
        return Path(explicit)
    checkout = Path(__file__).resolve().parents[1] / "templates" / "answer_letters"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "ogi-workflow" / "templates" / "answer_letters"


def _parse_now(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise SettingsError(
            f"OGI_NOW: '{raw}' is not an ISO date or datetime (e.g. 2026-05-07T10:00:00+08:00)"
        ) from exc
    if value.tzinfo is None:  # a bare date or datetime is read as Beijing time, as staff would mean it
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def _captcha(raw: str) -> bool | None:
    value = raw.strip().lower()
    if not value:
        return None
    return value not in {"off", "0", "false", "no"}


def _number(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}: '{raw}' is not a number") from None
    if value < 0:
        raise SettingsError(f"{name}: must not be negative")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    now_override: datetime | None = None  # OGI_NOW: run "as of" this moment (tests, what-if runs)
    broker_url: str | None = None
    office_name: str = "示例市人民政府办公室"
    case_number_prefix: str = "依申"
    db_schema: str | None = None  # OGI_DB_SCHEMA: PostgreSQL schema, so test runs never share tables
    sweep_seconds: float = 60.0  # OGI_SWEEP_SECONDS: how often beat runs the deadline sweep
    sweep_batch: int = 500  # OGI_SWEEP_BATCH: cases per sweep transaction
    sweep_batch_pause: float = 0.0  # OGI_SWEEP_BATCH_PAUSE: seconds between batches (crash tests)
    redis_prefix: str = ""  # OGI_REDIS_PREFIX: key prefix on a shared Redis (each test run its own)
    visibility_timeout: int = 3600  # OGI_VISIBILITY_TIMEOUT: seconds before Redis redelivers unacked work
    broker_dir: str = ".ogi-broker"  # OGI_BROKER_DIR: the embedded file-system broker's folder
    secret_key: str = ""  # OGI_SECRET_KEY: signs console sessions; required outside the embedded default
    cookie_secure: bool = False  # OGI_COOKIE_SECURE: send the session cookie over HTTPS only
    trusted_proxies: str = ""  # OGI_TRUSTED_PROXIES: addresses/networks whose X-Forwarded-For is believed
    signing_key: str = ""  # OGI_SIGNING_KEY: the office's Ed25519 key file (signed checkpoints)
    checkpoint_dir: str = ""  # OGI_CHECKPOINT_DIR: the folder of the signed checkpoint log
    # OGI_PORTAL_CAPTCHA: off = the portal asks no CAPTCHA (tests); on = always; unset (None) = on,
    # except on a simulation database, whose applications are samples (workflow/moment.py)
    portal_captcha: bool | None = True
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from the environment (or the given mapping)."""
        env = dict(os.environ if env is None else env)
        now_raw = env.get("OGI_NOW", "").strip()
        return cls(
            database_url=env.get("OGI_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            now_override=_parse_now(now_raw) if now_raw else None,
            broker_url=env.get("OGI_BROKER_URL") or None,
            office_name=env.get("OGI_OFFICE_NAME") or cls.office_name,
            case_number_prefix=env.get("OGI_CASE_PREFIX") or cls.case_number_prefix,
            db_schema=env.get("OGI_DB_SCHEMA") or None,
            sweep_seconds=_number(env, "OGI_SWEEP_SECONDS", cls.sweep_seconds),
            sweep_batch=int(_number(env, "OGI_SWEEP_BATCH", cls.sweep_batch)),
            sweep_batch_pause=_number(env, "OGI_SWEEP_BATCH_PAUSE", cls.sweep_batch_pause),
            redis_prefix=env.get("OGI_REDIS_PREFIX", ""),
            visibility_timeout=int(_number(env, "OGI_VISIBILITY_TIMEOUT", cls.visibility_timeout)),
            broker_dir=env.get("OGI_BROKER_DIR") or cls.broker_dir,
            secret_key=env.get("OGI_SECRET_KEY", ""),
            cookie_secure=env.get("OGI_COOKIE_SECURE", "").lower() in {"1", "true", "yes"},
            trusted_proxies=env.get("OGI_TRUSTED_PROXIES", ""),
            signing_key=env.get("OGI_SIGNING_KEY", ""),
            checkpoint_dir=env.get("OGI_CHECKPOINT_DIR", ""),
            portal_captcha=_captcha(env.get("OGI_PORTAL_CAPTCHA", "")),
        )

    @property
    def embedded(self) -> bool:
        """The one-machine default: SQLite and no broker server."""
        return self.database_url.startswith("sqlite") and not self.broker_url

    def _beside_database(self, name: str) -> Path | None:
        """A file next to an SQLite database file (the embedded default keeps its state there)."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix) or ":memory:" in self.database_url:
            return None
        return Path(self.database_url[len(prefix) :]).resolve().parent / name

    @property
    def signing_key_path(self) -> Path | None:
        """OGI_SIGNING_KEY, else .ogi-signing-key beside an SQLite database; None: not configured."""
        return Path(self.signing_key) if self.signing_key else self._beside_database(".ogi-signing-key")

    @property
    def checkpoint_path(self) -> Path | None:
        """OGI_CHECKPOINT_DIR, else .ogi-checkpoints beside an SQLite database; None: not configured."""
        return Path(self.checkpoint_dir) if self.checkpoint_dir else self._beside_database(".ogi-checkpoints")

    def now(self) -> datetime:
        """The current UTC time, or the OGI_NOW moment."""
        return self.now_override or datetime.now(UTC)
