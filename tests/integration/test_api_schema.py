"""The REST API against its own OpenAPI description, fuzzed by schemathesis in-process (ASGI).

Every operation under /api is called with generated (valid and invalid) input as an admin with a
bearer token, on a fresh SQLite database holding the demo cases. The API must never answer 5xx,
and every response whose status the schema describes must match that description.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is in the test extras: pip install -e '.[test]'"
)

from hypothesis import HealthCheck, Phase, example, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error, response_schema_conformance  # noqa: E402

from web.app import create_app  # noqa: E402
from workflow.accounts.passwords import issue_token, set_password  # noqa: E402
from workflow.admin.users import add_user  # noqa: E402
from workflow.config import LOCAL_TZ, Settings  # noqa: E402
from workflow.db import dispose_engines, transaction  # noqa: E402
from workflow.demo import seed  # noqa: E402
from workflow.schema import upgrade  # noqa: E402

NOW = datetime(2026, 9, 1, 10, 0, tzinfo=LOCAL_TZ)
ADMIN = "接口管理员"
EXAMPLES = 50
SECRET = "schemathesis-" + "k" * 40

# The schema is read at collection time (schemathesis's fixture-based loader does not work with
# pytest 9: it sets Function._nodeid, which pytest 9 removed), so the app is built here on
# settings that touch nothing; the `database` fixture points it at a fresh database before any
# request is made. The app reads its settings from app.state on every request (web.deps.settings_of).
APP = create_app(Settings(database_url="sqlite:///:memory:", now_override=NOW, secret_key=SECRET))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A migrated SQLite database with the demo staff and cases, and an admin who may log in."""
    db = tmp_path_factory.mktemp("api-schema") / "ogi.db"
    s = Settings(database_url=f"sqlite:///{db}", now_override=NOW, secret_key=SECRET)
    upgrade(s)
    assert seed(s), "the demo seed created no cases"
    with transaction(s) as session:
        add_user(session, name=ADMIN, roles=["admin"], now=s.now())
        set_password(session, ADMIN, "api-schema-password")
    placeholder = APP.state.settings
    APP.state.settings = s
    try:
        yield s
    finally:
        APP.state.settings = placeholder
        dispose_engines()


@pytest.fixture(scope="module")
def bearer(database: Settings) -> dict[str, str]:
    with transaction(database) as session:
        token = issue_token(session, ADMIN, database.now(), "schemathesis")
    return {"Authorization": f"Bearer {token}"}


def test_every_operation_is_described() -> None:
    """The OpenAPI document covers the whole API, so the fuzzing below reaches every route."""
    paths = set(schema.raw_schema["paths"])
    assert all(p.startswith(("/api/", "/public/api/")) for p in paths), sorted(paths)
    for expected in (
        "/api/tokens",
        "/api/cases",
        "/api/cases/{case_id}/actions/{action}",
        "/api/letters/{letter_id}/{fmt}",
        "/api/audit/export",
        "/api/users",
        "/public/api/applications",
        "/public/api/applications/{number}",
    ):
        assert expected in paths, sorted(paths)


def test_the_token_works(bearer: dict[str, str]) -> None:
    """The fuzzing runs as the admin, not as an anonymous caller bounced with 401."""
    from starlette.testclient import TestClient

    with TestClient(APP) as client:
        r = client.get("/api/me", headers=bearer)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == ADMIN and "admin" in r.json()["roles"]


def _operations() -> list[Any]:
    ops = []
    for result in schema.get_all_operations():
        if hasattr(result, "err"):  # an Err: the definition cannot be read
            raise AssertionError(f"/openapi.json has an operation schemathesis cannot read: {result.err()}")
        ops.append(result.ok())
    return ops


# Integers the databases cannot hold: ids arrive from URLs, so these must be a 404 or a 422.
DB_INT_LIMITS = (2**31, 2**63)  # PostgreSQL INTEGER, SQLite INTEGER
PLAUSIBLE = {"action": "register", "kind": "disclosed", "fmt": "docx", "key": "office_name"}


def _unbounded_int(param: Any) -> bool:
    spec = param.definition.get("schema", {})
    return any(s.get("type") == "integer" and "maximum" not in s for s in (spec, *spec.get("anyOf", ())))


def _boundary_cases(operation: Any) -> list[Any]:
    """Explicit cases: each integer parameter without a maximum at the databases' limits, the
    other path parameters plausible, so the request gets as far as the database."""
    path = {p.name: PLAUSIBLE.get(p.name, 1) for p in operation.path_parameters}
    body = {"body": {}} if list(operation.body) else {}
    cases = []
    for value in DB_INT_LIMITS:
        for p in operation.path_parameters:
            if _unbounded_int(p):
                cases.append(operation.Case(path_parameters={**path, p.name: value}, **body))
        for p in operation.query:
            if _unbounded_int(p):
                cases.append(operation.Case(path_parameters=path, query={p.name: value}, **body))
    return cases


# One test per operation, named by it. (schema.parametrize() collects every operation under the
# same name on pytest 9, which makes a failure hard to place and -k useless.)
@pytest.mark.parametrize("operation", _operations(), ids=lambda op: op.label)
def test_api_matches_its_schema(operation: Any, bearer: dict[str, str]) -> None:
    """Valid and invalid generated input, plus the explicit boundary cases: never a 5xx, and every
    documented response matches its schema. In-process, a server error surfaces as its traceback."""
    generated = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    def call(case: Any) -> None:
        case.call_and_validate(headers=bearer, checks=[not_a_server_error, response_schema_conformance])

    for case in _boundary_cases(operation):
        call = example(case)(call)
    fuzz = settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )(given(generated)(call))
    fuzz()
