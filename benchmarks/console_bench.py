"""8. The console at scale (issue 15): page latency with 10 concurrent clients at 1,000 and N cases.

Each size gets a fresh database seeded by `benchmarks.console_seed` (genuine demo histories
copied N times: case rows, applicants, letters, service records, about 8 chained ledger events a
case). The app is served as production serves it, one uvicorn process in a subprocess
(`python -m uvicorn --factory web.app:create_app`, configured by OGI_DATABASE_URL, OGI_DB_SCHEMA and
OGI_SECRET_KEY). Ten clients (threads, one keep-alive connection each) log in through the login
form, five as the registrar and five as handlers, warm up, then each makes ROUNDS rounds of
queue page → case page → `/api/cases`. Queue pages rotate through the default view and the
mine / state / overdue filters; case pages are random cases the client may read. Only URLs are
relied on (`/login`, `/`, `/cases/{id}`, `/api/cases`), so the benchmark survives a rewrite of the
console. It measures and reports; it asserts nothing about time.

    python -m benchmarks.console_bench [--cases 100000] [--db sqlite|postgres|both] [--rounds 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.common import REPO, Outcome, Row, backends, postgres_ok, status, times
from benchmarks.console_seed import HANDLERS, PASSWORD, REGISTRAR, Templates, make_templates, populate
from tests.helpers import free_port, wait_for
from workflow.config import Settings
from workflow.db import dispose_engines

CLIENTS = 10
ROUNDS = 20
WARMUP_ROUNDS = 2
QUEUE_VIEWS = ("/", "/?scope=mine", "/?state=consulting", "/?overdue=true")
TARGETS = {"queue": 0.150, "case": 0.100, "api": 0.100}
TARGET_GROWTH = 2.0
BASE_SIZE = 1_000
PAGES = (("queue", "queue page"), ("case", "case page"), ("api", "/api/cases"))


class Client:
    """One browser: a keep-alive connection and the cookies the server set."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed an idle keep-alive connection (uvicorn: after 5 s): as a browser, reconnect
            self.conn.close()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header or not value.strip('"'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response.status, text

    def login(self, name: str) -> None:
        _, page = self.request("GET", "/login")
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        form = {"username": name, "password": PASSWORD, **({"csrf": found.group(1)} if found else {})}
        code, _ = self.request("POST", "/login", form)
        if code not in (302, 303):
            raise RuntimeError(f"console benchmark: login as {name} answered {code}")


@dataclass
class Samples:
    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k, _ in PAGES})
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _timed(client: Client, path: str) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    code, text = client.request("GET", path)
    return time.perf_counter() - t0, code, text


def _client(port: int, user: str, everyone: bool, n_cases: int, k: int, go: threading.Barrier, out: Samples) -> None:
    try:
        _browse(port, user, everyone, n_cases, k, go, out)
    except Exception as exc:  # reported with the results, never a silent thread death
        with out.lock:
            out.errors.append(f"{user}: {type(exc).__name__}: {exc}")
        go.abort()


def _browse(port: int, user: str, everyone: bool, n_cases: int, k: int, go: threading.Barrier, out: Samples) -> None:
    rng = random.Random(k)
    client = Client(port)
    client.login(user)
    seen: list[int] = []
    go.wait()
    for rnd in range(WARMUP_ROUNDS + ROUNDS):
        measured = rnd >= WARMUP_ROUNDS
        view = QUEUE_VIEWS[(rnd + k) % len(QUEUE_VIEWS)]
        t, code, page = _timed(client, view)
        seen += [int(x) for x in re.findall(r'href="/cases/(\d+)"', page)[:200]]
        case_id = rng.randint(1, n_cases) if everyone or not seen else rng.choice(seen)
        results = [("queue", view, t, code)]
        t, code, _ = _timed(client, f"/cases/{case_id}")
        results.append(("case", f"/cases/{case_id}", t, code))
        t, code, _ = _timed(client, "/api/cases")
        results.append(("api", "/api/cases", t, code))
        with out.lock:
            for kind, path, seconds, answer in results:
                if answer != 200:
                    out.errors.append(f"{user} GET {path} → {answer}")
                elif measured:
                    out.times[kind].append(seconds)
    client.conn.close()


def _serve(settings: Settings) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "OGI_DATABASE_URL": settings.database_url,
        "OGI_SECRET_KEY": "console-benchmark-" + "k" * 32,
        "PYTHONPATH": str(REPO),
    }
    env.pop("OGI_NOW", None)
    if settings.db_schema:
        env["OGI_DB_SCHEMA"] = settings.db_schema
    args = ["-m", "uvicorn", "--factory", "web.app:create_app", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, *args, "--log-level", "warning", "--no-access-log"], cwd=REPO, env=env, start_new_session=True
    )
    return proc, port


def _up(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


@dataclass
class Measured:
    n: int
    seeding: float
    events: int
    times: dict[str, list[float]]
    errors: list[str]
    seconds: float
    load: tuple[float, float]


def measure(settings: Settings, templates: Templates, n: int) -> Measured:
    """Seed n cases, serve them, drive the clients; the latencies per page kind."""
    t0 = time.perf_counter()
    counts = populate(settings, templates, n)
    seeding = time.perf_counter() - t0
    dispose_engines()  # the server opens its own connections
    proc, port = _serve(settings)
    try:
        wait_for(lambda: _up(port), 60, "the console to start")
        out = Samples()
        go = threading.Barrier(CLIENTS + 1)
        users = [REGISTRAR if k % 2 == 0 else HANDLERS[k // 2] for k in range(CLIENTS)]
        threads = [
            threading.Thread(target=_client, args=(port, users[k], users[k] == REGISTRAR, n, k, go, out))
            for k in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        go.wait(timeout=300)
        load0 = os.getloadavg()[0]
        started = time.perf_counter()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        load = (load0, os.getloadavg()[0])
    finally:
        _stop(proc)
    return Measured(n, seeding, counts["audit_event"], out.times, out.errors, seconds, load)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"


def _rows(name: str, m: Measured, base: Measured | None) -> list[Row]:
    rows = []
    total = sum(len(v) for v in m.times.values())
    for kind, label in PAGES:
        v = m.times[kind]
        p50, p95 = (statistics.median(v), pct(v, 0.95)) if v else (float("nan"), float("nan"))
        ratio, target, ok = "", f"p95 ≤ {ms(TARGETS[kind])}", p95 <= TARGETS[kind]
        if kind == "queue" and base is not None and base is not m:
            growth = p50 / statistics.median(base.times["queue"])
            ratio = f"p50 {times(growth)} the {base.n:,} p50"
            target += f"; ≤ {TARGET_GROWTH:.0f}× {base.n:,}"
            ok = ok and growth <= TARGET_GROWTH
        rows.append(
            Row(
                f"{name}, {m.n:,} cases: {label}",
                f"p50 {ms(p50)}, p95 {ms(p95)}, max {ms(max(v, default=float('nan')))} (n = {len(v)})",
                f"{total / m.seconds:.1f} req/s all pages; load {m.load[0]:.1f}→{m.load[1]:.1f}",
                ratio,
                target,
                status(ok),
            )
        )
    rows.append(
        Row(f"{name}, {m.n:,} cases: seeding", f"{m.seeding:.1f} s ({m.events:,} ledger events)", "—", "", "", "")
    )
    return rows


def run_sizes(sizes: tuple[int, ...], which: str = "both", progress: Callable[[str], None] = print) -> Outcome:
    out = Outcome(
        "console",
        "8. Console pages at scale, 10 concurrent clients",
        __doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else "",
    )
    pg = postgres_ok() and which in ("both", "postgres")
    dbs = [(name, db) for name, db in backends(pg) if which != "postgres" or name == "PostgreSQL"]
    progress("console: playing the template histories …")
    templates = make_templates()
    progress(f"console: {len(templates.cases)} template cases")
    for name, db in dbs:
        results: list[Measured] = []
        for n in sizes:
            with db() as settings:
                progress(f"console: {name}, {n:,} cases …")
                m = measure(settings, templates, n)
                results.append(m)
                progress(f"console: {name}, {n:,} cases: seeded in {m.seeding:.0f} s, measured in {m.seconds:.0f} s")
            if m.errors:
                out.notes.append(f"{name} {n:,}: {len(m.errors)} failed requests, e.g. {m.errors[0]}")
        base = results[0] if results and results[0].n == BASE_SIZE else None
        for m in results:
            out.rows += _rows(name, m, base)
    out.notes.append(
        f"{CLIENTS} clients × {ROUNDS} rounds after {WARMUP_ROUNDS} warm-up rounds, one uvicorn process; the "
        "machine has 2 cores shared with other sessions (load average before→after the run in the baseline "
        "column), and the clients run on the same cores as the server, so latencies include queueing behind them."
    )
    return out


def run(full: bool = False) -> Outcome:
    return run_sizes((BASE_SIZE, 100_000) if full else (BASE_SIZE, 10_000))


def main() -> None:
    global ROUNDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, nargs="+", default=[BASE_SIZE, 10_000], help="sizes to measure")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    ROUNDS = args.rounds
    sizes = tuple(sorted(set(args.cases) | {BASE_SIZE}))
    out = run_sizes(sizes, args.db)
    print("\n| case | ours | baseline | ratio | target | status |\n| --- | --- | --- | --- | --- | --- |")
    for r in out.rows:
        print(f"| {r.case} | {r.ours} | {r.baseline} | {r.ratio} | {r.target} | {r.status} |")
    for note in out.notes:
        print("-", note)


if __name__ == "__main__":
    main()
