"""docker-compose.yml as production runs it. No Docker engine is needed: the file is checked as
compose would read it (services, health checks, start order, ${...} interpolation, no secrets),
and each ogi service's own command and environment are run natively against this machine's
PostgreSQL and Redis, with the compose hostnames swapped for them."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
import typer
import yaml
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cli.main import app as cli_app
from tests.conftest import PG_URL, postgres_available
from tests.helpers import drop_schema, free_port, need, redis_ok, wait_for
from workers.app import make_app
from workflow.config import Settings
from workflow.schema import alembic_config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
OGI = str(Path(sys.executable).parent / "ogi")
REDIS_URL = os.environ.get("OGI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat"}
SECRET = "compose-smoke-password"  # what an operator would put in .env
SESSION_KEY = "compose-smoke-session-key-" + "0123456789abcdef" * 2
REQUIRED = {"POSTGRES_PASSWORD": SECRET, "OGI_SECRET_KEY": SESSION_KEY}

# --------------------------------------------------------------------------- compose interpolation


class TemplateError(ValueError):
    """A ${...} that `docker compose config` would reject."""


class MissingVariable(TemplateError):
    """A required variable (${NAME:?message}) is unset or empty."""


NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPERATORS = (":-", ":?", ":+", "-", "?", "+")


def interpolate(value: str, variables: Mapping[str, str], refs: list[tuple[str, str]] | None = None) -> str:
    """Compose's interpolation: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err},
    ${NAME?err}, ${NAME:+alt}, ${NAME+alt} (defaults may nest). Records (name, operator) in refs."""
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] != "$":
            out.append(value[i])
            i += 1
        elif value.startswith("$$", i):
            out.append("$")
            i += 2
        elif value.startswith("${", i):
            end = _closing_brace(value, i + 2)
            out.append(_braced(value[i + 2 : end], variables, refs))
            i = end + 1
        else:
            match = NAME.match(value, i + 1)
            if not match:
                raise TemplateError(f"invalid template {value!r}: '$' at {i} starts no variable (write $$)")
            if refs is not None:
                refs.append((match.group(), ""))
            out.append(variables.get(match.group(), ""))
            i = match.end()
    return "".join(out)


def _closing_brace(value: str, start: int) -> int:
    depth, i = 0, start
    while i < len(value):
        if value.startswith("$$", i):
            i += 2
            continue
        if value.startswith("${", i):
            depth += 1
            i += 2
            continue
        if value[i] == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise TemplateError(f"invalid template {value!r}: unterminated ${{")


def _braced(body: str, variables: Mapping[str, str], refs: list[tuple[str, str]] | None) -> str:
    match = NAME.match(body)
    if not match:
        raise TemplateError(f"invalid template ${{{body}}}: not a variable name")
    name, rest = match.group(), body[match.end() :]
    op = next((o for o in OPERATORS if rest.startswith(o)), None)
    if rest and op is None:
        raise TemplateError(f"invalid template ${{{body}}}: unknown operator {rest[:2]!r}")
    if refs is not None:
        refs.append((name, op or ""))
    arg = rest[len(op) :] if op else ""
    current = variables.get(name)
    is_set = current is not None
    usable = current if op is None or not op.startswith(":") else (current or None)  # ":" = empty counts as unset
    if op in (":-", "-"):
        return usable if usable is not None else interpolate(arg, variables, refs)
    if op in (":?", "?"):
        if usable is None:
            raise MissingVariable(f"required variable {name} is missing a value: {arg}")
        return usable
    if op in (":+", "+"):
        return interpolate(arg, variables, refs) if usable is not None else ""
    return current if is_set and current is not None else ""


def strings(node: Any) -> Iterator[str]:
    """Every string value in a loaded YAML document (keys are not interpolated by compose)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for item in node.values():
            yield from strings(item)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def resolve(node: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, dict):
        return {k: resolve(v, variables) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, variables) for v in node]
    return node


def load_compose() -> dict[str, Any]:
    doc = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def project_services(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run the ogi image (built from ./Dockerfile)."""
    return {name: svc for name, svc in doc["services"].items() if "build" in svc}


def cli_commands() -> set[str]:
    return set(typer.main.get_command(cli_app).commands)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the file itself


@pytest.mark.parametrize("bad", ["${FOO", "${FOO:-x", "$", "a $ b", "${}", "${1X}", "${FOO:x}", "${FOO:-${BAR}"])
def test_the_interpolation_checker_rejects_malformed_templates(bad):
    with pytest.raises(TemplateError):
        interpolate(bad, {"FOO": "1", "BAR": "2"})


def test_the_interpolation_checker_follows_compose():
    env = {"SET": "v", "EMPTY": ""}
    cases = {
        "${SET:-d}": "v",
        "${EMPTY:-d}": "d",
        "${EMPTY-d}": "",
        "${UNSET-d}": "d",
        "${SET:+a}": "a",
        "${EMPTY:+a}": "",
        "${EMPTY+a}": "a",
        "$$SET": "$SET",
        "x${UNSET:-${SET}}y": "xvy",
        "$SET/${SET}": "v/v",
    }
    assert {t: interpolate(t, env) for t in cases} == cases
    with pytest.raises(MissingVariable, match="EMPTY"):
        interpolate("${EMPTY:?say}", env)
    assert interpolate("${EMPTY?say}", env) == ""


def test_services_commands_health_checks_and_start_order():
    doc = load_compose()
    services = doc["services"]
    commands = cli_commands()
    assert set(services) == SERVICES
    ogi = project_services(doc)
    assert set(ogi) == {"migrate", "web", "worker", "beat"}
    for name, svc in ogi.items():
        cmd = svc["command"]
        assert isinstance(cmd, list) and all(isinstance(w, str) for w in cmd), f"{name}: command must be a list"
        assert cmd[0] == "ogi" and cmd[1] in commands, f"{name}: {cmd} is not an ogi command"
        env = svc["environment"]
        assert {k: env[k] for k in doc["x-ogi-env"]} == doc["x-ogi-env"], f"{name}: not the shared x-ogi-env"
        assert svc["build"] == "." and svc["image"] == ogi["migrate"]["image"]
    assert services["migrate"]["command"] == ["ogi", "init"]
    assert services["worker"]["command"][:2] == ["ogi", "worker"] and "--concurrency=2" in services["worker"]["command"]
    assert services["beat"]["command"][:2] == ["ogi", "beat"]
    assert any(a.startswith("--schedule") for a in services["beat"]["command"])
    # web: the console only (deadlines are the worker's and beat's), on all interfaces of its container
    web = services["web"]
    assert web["command"][:2] == ["ogi", "serve"] and "--no-workers" in web["command"]
    assert {"--host=0.0.0.0", "--port=8000"} <= set(web["command"])
    assert web["ports"] == ["${OGI_WEB_PORT:-8000}:8000"]
    assert set(web["environment"]) - set(doc["x-ogi-env"]) == {"OGI_SECRET_KEY", "OGI_COOKIE_SECURE"}
    assert web["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    for name in ("postgres", "redis", "web"):
        health = services[name]["healthcheck"]
        assert health["test"][0] in ("CMD", "CMD-SHELL") and len(health["test"]) > 1, name
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"] and "pgdata" in doc["volumes"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["migrate"].get("restart") == "no"
    for name in ("worker", "beat"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "redis": {"condition": "service_healthy"},
        }, name
    for key in ("container_name", "ports", "hostname"):  # `--scale worker=N` must work
        assert key not in services["worker"], f"worker must be scalable: remove {key}"


def test_interpolation_is_well_formed_and_only_the_two_secrets_are_required():
    doc = load_compose()
    refs: list[tuple[str, str]] = []
    for value in strings(doc):
        interpolate(value, REQUIRED, refs)
    assert refs, "docker-compose.yml reads no variables"
    bare = sorted({n for n, op in refs if op not in (":-", ":?")})
    assert not bare, f"{bare}: give a default (${{X:-...}}) or require it (${{X:?...}}); unset would be blank"
    assert {n for n, op in refs if op == ":?"} == set(REQUIRED)
    resolve(doc, REQUIRED)
    for name in REQUIRED:
        with pytest.raises(MissingVariable, match=name):
            resolve(doc, {k: v for k, v in REQUIRED.items() if k != name})
        with pytest.raises(MissingVariable, match=name):
            resolve(doc, {**REQUIRED, name: ""})
    # .env.example documents exactly the variables the file reads, and holds no password.
    example = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    assert set(example) == {n for n, _ in refs}
    assert example["POSTGRES_PASSWORD"] == "" and example["OGI_SECRET_KEY"] == ""


def test_no_secret_is_hard_coded():
    doc = load_compose()
    required = re.compile(r"^\$\{POSTGRES_PASSWORD:\?[^}]+\}$")
    assert required.match(doc["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"])
    for value in strings(doc):
        for password in re.findall(r"://[^/:@\s]+:([^@\s]*)@", value):  # credentials inside URLs
            assert required.match(password), f"hard-coded password in {value!r}"
    for svc in doc["services"].values():
        env = svc.get("environment") or {}
        for key, value in env.items() if isinstance(env, dict) else []:
            if re.search(r"PASSWORD|SECRET|TOKEN|API_KEY", key):
                assert isinstance(value, str) and value.startswith("${"), f"{key} is hard-coded"
    assert "env_file" not in str(doc)


def test_the_shared_environment_is_what_the_settings_read():
    doc = load_compose()
    env = resolve(doc["x-ogi-env"], REQUIRED)
    readers = ("config.py", "logs.py")  # the settings, and the logging configured in one module
    known = {
        v for f in readers for v in re.findall(r"OGI_[A-Z_]+", (ROOT / "workflow" / f).read_text(encoding="utf-8"))
    }
    assert set(env) <= known, f"variables nothing reads: {set(env) - known}"
    assert all(isinstance(v, str) for v in env.values()), "compose environment values must be strings"
    settings = Settings.from_env(env)  # every default parses
    url = make_url(settings.database_url)
    assert (url.drivername, url.host, url.password) == ("postgresql+psycopg", "postgres", SECRET)
    assert make_url(settings.broker_url or "").host == "redis"
    assert settings.now_override is None, "OGI_NOW must never be set in production"
    assert (settings.db_schema, settings.redis_prefix, settings.sweep_seconds) == (None, "", 60.0)


def test_the_image_installs_the_project_and_finds_its_templates():
    lines = [
        ln.strip()
        for ln in DOCKERFILE.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    assert any(re.match(r"RUN pip install( --\S+)* \.( |$)", ln) for ln in lines)
    template_dir = next(m.group(1) for ln in lines if (m := re.search(r"OGI_TEMPLATE_DIR=(\S+)", ln)))
    workdir = [ln.split()[1] for ln in lines if ln.startswith("WORKDIR")][-1]
    assert "COPY templates templates" in lines and template_dir == f"{workdir}/templates/answer_letters"
    assert (ROOT / "templates" / "answer_letters" / "acknowledgement.html.j2").is_file()
    user = [ln.split()[1] for ln in lines if ln.startswith("USER")]
    assert user and user[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "*.db"} <= set(ignored)


# --------------------------------------------------------------------------- running the services


@dataclass
class Stack:
    """The compose services' commands and environments, pointed at this machine's servers."""

    tmp: Path
    schema: str
    prefix: str
    doc: dict[str, Any] = field(default_factory=load_compose)
    procs: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def service(self, name: str, **variables: str) -> tuple[list[str], dict[str, str]]:
        """The service's command and environment as compose would give them (variables play .env)."""
        svc = resolve(self.doc["services"][name], {**REQUIRED, **variables})
        db, broker = make_url(svc["environment"]["OGI_DATABASE_URL"]), make_url(svc["environment"]["OGI_BROKER_URL"])
        assert (db.host, broker.host) == ("postgres", "redis"), "the compose hostnames changed"
        env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
        env.update(svc["environment"])
        env.update(
            OGI_DATABASE_URL=PG_URL,
            OGI_DB_SCHEMA=self.schema,
            OGI_BROKER_URL=REDIS_URL,
            OGI_REDIS_PREFIX=self.prefix,
            PYTHONUNBUFFERED="1",
        )  # the image sets PYTHONUNBUFFERED too
        assert not any(re.search(r"@postgres[:/]|//redis[:/]", v) for v in env.values())
        command = svc["command"]
        assert command[0] == "ogi"
        # Container paths under /tmp go to this test's own folder (no shared files on the host).
        return [OGI, *(a.replace("=/tmp/", f"={self.tmp}/") for a in command[1:])], env

    def start(self, name: str, command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.tmp / f"{name}.log"
        with log.open("wb") as handle:
            proc = subprocess.Popen(
                command, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=self.tmp, start_new_session=True
            )
        self.procs.append((proc, log))
        return proc, log

    def stop(self, proc: subprocess.Popen[bytes], grace: float) -> int:
        """SIGTERM to the main process only (what `docker compose stop` does), SIGKILL after grace."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _killpg(proc)
        _killpg(proc)  # children left behind, if any
        return proc.returncode

    def close(self) -> None:
        for proc, _ in self.procs:
            self.stop(proc, grace=10)


def _killpg(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.returncode is None:
        proc.wait(timeout=10)


def _grace(doc: dict[str, Any], name: str) -> float:
    raw = str(doc["services"][name].get("stop_grace_period", "10s"))
    match = re.fullmatch(r"(\d+)(s|m)", raw)
    assert match, f"{name}: stop_grace_period {raw!r}"
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def _delete_keys(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
    finally:
        client.close()


def _keys(prefix: str) -> list[bytes]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return list(client.scan_iter(f"{prefix}*"))
    finally:
        client.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    need(postgres_available(), f"PostgreSQL ({PG_URL})")
    need(redis_ok(REDIS_URL), f"Redis ({REDIS_URL})")
    token = uuid.uuid4().hex[:10]
    s = Stack(tmp=tmp_path, schema=f"ogi_compose_{token}", prefix=f"ogi-compose-{token}:")
    try:
        yield s
    finally:
        s.close()
        drop_schema(s.schema)
        _delete_keys(s.prefix)


def run_migrate(stack: Stack) -> subprocess.CompletedProcess[str]:
    command, env = stack.service("migrate")
    return subprocess.run(command, env=env, cwd=stack.tmp, capture_output=True, text=True, timeout=60)


def _log(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def test_migrate_brings_a_fresh_schema_to_the_newest_revision(stack):
    head = ScriptDirectory.from_config(alembic_config(Settings())).get_current_head()
    result = run_migrate(stack)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            version = conn.execute(text(f'SELECT version_num FROM "{stack.schema}".alembic_version')).scalar_one()
            tables = conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"), {"s": stack.schema}
            ).scalar_one()
    finally:
        engine.dispose()
    assert version == head
    assert tables > 5
    again = run_migrate(stack)  # a restart of the one-shot service is harmless
    assert again.returncode == 0, again.stderr


def test_worker_answers_ping_and_runs_the_sweep(stack):
    assert run_migrate(stack).returncode == 0
    command, env = stack.service("worker")
    proc, log = stack.start("worker", command, env)
    wait_for(lambda: "ready." in _log(log) or proc.poll() is not None, 60, "the worker to be ready")
    assert proc.poll() is None, _log(log)
    assert "concurrency: 2 (prefork)" in _log(log)
    app = make_app(Settings.from_env(env))
    try:
        node = f"celery@{socket.gethostname()}"
        replies: list[dict[str, Any]] = []

        def pinged() -> bool:
            replies.extend(app.control.ping(timeout=1.0))
            return bool(replies)

        wait_for(pinged, 30, "a ping reply")
        assert {name for reply in replies for name in reply} == {node}, replies
        task = app.send_task("workers.sweep")
        wait_for(lambda: f"Task workers.sweep[{task.id}] succeeded" in _log(log), 30, "the sweep to succeed")
    finally:
        app.close()
    assert _keys(stack.prefix), "nothing went through Redis under OGI_REDIS_PREFIX"
    assert stack.stop(proc, _grace(stack.doc, "worker")) == 0, _log(log)  # warm shutdown, in time


def test_beat_schedules_the_deadline_sweep(stack):
    command, env = stack.service("beat", OGI_SWEEP_SECONDS="1")
    assert env["OGI_SWEEP_SECONDS"] == "1"
    proc, log = stack.start("beat", command, env)
    wait_for(
        lambda: "Sending due task deadline-sweep" in _log(log) or proc.poll() is not None,
        30,
        "beat to send deadline-sweep",
    )
    assert proc.poll() is None, _log(log)
    # beat logs "Sending due task" before it publishes, so the message may land a moment later.
    wait_for(lambda: bool(_keys(stack.prefix)), 15, "beat's message under OGI_REDIS_PREFIX")
    assert list(stack.tmp.glob("celerybeat-schedule*")), "beat did not keep its schedule where --schedule says"
    assert stack.stop(proc, _grace(stack.doc, "beat")) == 0, _log(log)


def test_web_serves_the_console_and_passes_its_health_check(stack):
    assert run_migrate(stack).returncode == 0
    command, env = stack.service("web")
    assert env["OGI_SECRET_KEY"] == SESSION_KEY and env["OGI_COOKIE_SECURE"] == "0"
    port = free_port()  # the container's port 8000, published here on a free one
    command = [a.replace("--port=8000", f"--port={port}").replace("0.0.0.0", "127.0.0.1") for a in command]
    proc, log = stack.start("web", command, env)
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert proc.poll() is None, _log(log)
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                return r.status == 200 and json.load(r) == {"status": "ok", "database": "ok"}
        except OSError:
            return False

    wait_for(healthy, 60, "web's /healthz")
    # The health check exactly as compose runs it inside the container, pointed at the published port.
    check = stack.doc["services"]["web"]["healthcheck"]["test"]
    assert check[0] == "CMD"
    probe = [sys.executable if w == "python" else w.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for w in check[1:]]
    assert subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    with urllib.request.urlopen(f"{base}/login", timeout=5) as r:
        assert r.status == 200 and "登录" in r.read().decode()
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(f"{base}/api/cases", timeout=5)
    assert denied.value.code == 401
    denied.value.close()  # an HTTPError holds the response open
    assert "用户名" not in _log(log), "a production console must not print demo logins"
    # Graceful: uvicorn finishes the requests in flight, then re-raises the SIGTERM it caught.
    assert stack.stop(proc, _grace(stack.doc, "web")) in (0, -signal.SIGTERM), _log(log)
    assert "Application shutdown complete" in _log(log)
