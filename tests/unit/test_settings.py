"""The OGI_* variables: typed and checked in one place (workflow/config.py), errors naming the
variable, and os.environ read nowhere else in the product (issue 30)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workflow.config import DEFAULT_DATABASE_URL, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_unset_and_empty_variables_give_the_defaults():
    s = Settings.from_env({"OGI_DATABASE_URL": "  ", "OGI_SWEEP_SECONDS": "", "OGI_BROKER_URL": ""})
    assert s.database_url == DEFAULT_DATABASE_URL and s.sweep_seconds == 60.0 and s.broker_url is None
    assert s.portal_captcha is None  # unset: on, except on a simulation database
    assert s.now_override is None and s.office_name == Settings.office_name


def test_values_are_typed():
    s = Settings.from_env(
        {
            "OGI_NOW": "2026-05-07",
            "OGI_SWEEP_BATCH": "250",
            "OGI_SWEEP_BATCH_PAUSE": "0.5",
            "OGI_VISIBILITY_TIMEOUT": "7200",
            "OGI_COOKIE_SECURE": "Yes",
            "OGI_PORTAL_CAPTCHA": "off",
            "OGI_CASE_PREFIX": "甲申",
            "OGI_DB_SCHEMA": "t1",
        }
    )
    assert s.now_override == datetime(2026, 5, 6, 16, 0, tzinfo=UTC)  # a bare date is Beijing time
    assert (s.sweep_batch, s.sweep_batch_pause, s.visibility_timeout) == (250, 0.5, 7200)
    assert s.cookie_secure is True and s.portal_captcha is False
    assert (s.case_number_prefix, s.db_schema) == ("甲申", "t1")


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("OGI_SWEEP_SECONDS", "soon", "OGI_SWEEP_SECONDS: 'soon' is not a number"),
        ("OGI_SWEEP_BATCH", "-5", "OGI_SWEEP_BATCH: '-5' must not be negative"),
        ("OGI_NOW", "yesterday", "OGI_NOW: 'yesterday' is not an ISO date"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_and_the_rule(name, value, said):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value})
    assert str(raised.value).startswith(said)


def test_settings_built_in_code_do_not_read_the_environment(monkeypatch):
    monkeypatch.setenv("OGI_DATABASE_URL", "sqlite:///elsewhere.db")
    assert Settings().database_url == DEFAULT_DATABASE_URL
    assert Settings.from_env().database_url == "sqlite:///elsewhere.db"


def test_os_environ_is_read_in_one_place():
    readers = set()
    for package in ("states", "workflow", "workers", "cli", "web"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                    if isinstance(node.value, ast.Name) and node.value.id == "os":
                        readers.add(str(path.relative_to(ROOT)))
    assert readers == {"workflow/config.py"}
