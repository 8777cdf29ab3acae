"""Settings, read once from the environment and passed down. The only reader of os.environ
(`environment`); the variables are typed and checked by pydantic-settings (`Environment`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_DATABASE_URL = "sqlite:///ogi.db"


class SettingsError(ValueError):
    """An environment variable holds a value the product cannot use."""


def environment(**overrides: str) -> dict[str, str]:
    """This process's environment (with `overrides`): the one place os.environ is read, for the
    settings below and for a child process that must see the same ones."""
    return {**os.environ, **overrides}


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


def _number(raw: object) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValueError(f"'{raw}' is not a number") from None
    if value < 0:
        raise ValueError("must not be negative")
    return value


class _MappingSource(EnvSettingsSource):
    """The OGI_* variables of a given mapping (os.environ through `environment()`, or a test's)."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


class Environment(BaseSettings):
    """The OGI_* environment variables, typed and checked (pydantic-settings). An empty variable
    counts as unset. `Settings.from_env` turns them into the settings passed down."""

    model_config = SettingsConfigDict(
        env_prefix="OGI_", env_ignore_empty=True, extra="ignore", frozen=True, validate_default=False
    )

    # Each field is the variable OGI_<FIELD NAME>:
    database_url: str = DEFAULT_DATABASE_URL  # OGI_DATABASE_URL
    now: datetime | None = None  # OGI_NOW
    broker_url: str | None = None  # OGI_BROKER_URL
    office_name: str | None = None  # OGI_OFFICE_NAME
    case_prefix: str | None = None  # OGI_CASE_PREFIX
    db_schema: str | None = None  # OGI_DB_SCHEMA
    sweep_seconds: float | None = None  # OGI_SWEEP_SECONDS
    sweep_batch: int | None = None  # OGI_SWEEP_BATCH
    sweep_batch_pause: float | None = None  # OGI_SWEEP_BATCH_PAUSE
    redis_prefix: str = ""  # OGI_REDIS_PREFIX
    visibility_timeout: int | None = None  # OGI_VISIBILITY_TIMEOUT
    broker_dir: str | None = None  # OGI_BROKER_DIR
    secret_key: str = ""  # OGI_SECRET_KEY
    cookie_secure: bool = False  # OGI_COOKIE_SECURE
    trusted_proxies: str = ""  # OGI_TRUSTED_PROXIES
    signing_key: str = ""  # OGI_SIGNING_KEY
    checkpoint_dir: str = ""  # OGI_CHECKPOINT_DIR
    portal_captcha: bool | None = None  # OGI_PORTAL_CAPTCHA; unset: on, except on a simulation database

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)  # `read` hands the variables over; nothing else is consulted

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> Environment:
        """The variables of `environ` (default: this process's).

        Raises:
            SettingsError: a variable holds a value the product cannot use (named with the rule).
        """
        values = _MappingSource(cls, environment() if environ is None else environ)()
        try:
            return cls(**values)
        except ValidationError as exc:
            error = exc.errors()[0]
            name = f"OGI_{str(error['loc'][0]).upper()}"
            raw = values.get(str(error["loc"][0]), "")
            message = str(error.get("ctx", {}).get("error", "")) or error["msg"]
            if isinstance(error.get("ctx", {}).get("error"), SettingsError):
                raise error["ctx"]["error"] from None
            raise SettingsError(f"{name}: {message}" if "'" in message else f"{name}: '{raw}' {message}") from None

    @field_validator("database_url", mode="before")
    @classmethod
    def _url(cls, raw: str) -> str:
        return str(raw).strip() or DEFAULT_DATABASE_URL

    @field_validator("now", mode="before")
    @classmethod
    def _now(cls, raw: object) -> datetime | None:
        text = str(raw).strip()
        return _parse_now(text) if text else None

    @field_validator("sweep_seconds", "sweep_batch_pause", mode="before")
    @classmethod
    def _float(cls, raw: object) -> float:
        return _number(raw)

    @field_validator("sweep_batch", "visibility_timeout", mode="before")
    @classmethod
    def _whole(cls, raw: object) -> int:
        return int(_number(raw))

    @field_validator("cookie_secure", mode="before")
    @classmethod
    def _yes(cls, raw: object) -> bool:
        return str(raw).strip().lower() in {"1", "true", "yes"}

    @field_validator("portal_captcha", mode="before")
    @classmethod
    def _captcha(cls, raw: object) -> bool | None:
        value = str(raw).strip().lower()
        return None if not value else value not in {"off", "0", "false", "no"}


def letter_template_dir() -> Path:
    """The letter templates: OGI_TEMPLATE_DIR, else the checkout's templates/answer_letters, else
    the copy a regular install puts under <prefix>/share/ogi-workflow."""
    explicit = environment().get("OGI_TEMPLATE_DIR")
    if explicit:
        return Path(explicit)
    checkout = Path(__file__).resolve().parents[1] / "templates" / "answer_letters"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "ogi-workflow" / "templates" / "answer_letters"


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
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from the environment (or the given mapping), read and checked by `Environment`.

        Raises:
            SettingsError: a variable holds a value the product cannot use.
        """
        e = Environment.read(env)
        given = {
            "office_name": e.office_name,
            "case_number_prefix": e.case_prefix,
            "sweep_seconds": e.sweep_seconds,
            "sweep_batch": e.sweep_batch,
            "sweep_batch_pause": e.sweep_batch_pause,
            "visibility_timeout": e.visibility_timeout,
            "broker_dir": e.broker_dir,
        }
        return cls(
            database_url=e.database_url,
            now_override=e.now,
            broker_url=e.broker_url,
            db_schema=e.db_schema,
            redis_prefix=e.redis_prefix,
            secret_key=e.secret_key,
            cookie_secure=e.cookie_secure,
            trusted_proxies=e.trusted_proxies,
            signing_key=e.signing_key,
            checkpoint_dir=e.checkpoint_dir,
            portal_captcha=e.portal_captcha,
            **{k: v for k, v in given.items() if v is not None},  # type: ignore[arg-type]
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
