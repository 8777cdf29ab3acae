"""/healthz latency while a burst of logins arrives (issue 14): one argon2 verification per login
must not stall the event loop. Measures, does not assert; works on this code and on older code
(a login form without a token is simply posted as is).

    python -m benchmarks.login_burst [--logins 48] [--parallel 16]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass
class Burst:
    idle_p50: float
    idle_p95: float
    burst_p50: float
    burst_p95: float
    burst_max: float
    probes: int
    logins: int
    seconds: float


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=30) as r:
        r.read()
    return time.perf_counter() - start


def _login(base: str, name: str, password: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=60).read().decode()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    form = {"username": name, "password": password, **({"csrf": found.group(1)} if found else {})}
    try:
        opener.open(base + "/login", data=urllib.parse.urlencode(form).encode(), timeout=60).read()
    except urllib.error.HTTPError:
        pass  # 401 for a wrong password, 429 once throttled: the server did the work either way


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _probe(base: str, stop: threading.Event, out: list[float]) -> None:
    while not stop.is_set():
        out.append(_get(base + "/healthz"))
        time.sleep(0.02)


def measure(base: str, *, logins: int = 48, parallel: int = 16, users: int = 8) -> Burst:
    idle = [_get(base + "/healthz") for _ in range(20)]
    during: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=_probe, args=(base, stop, during))
    prober.start()
    start = time.perf_counter()
    # many names so the throttle does not cut the burst short: every attempt verifies a password
    jobs = [(f"user{i % users}" if i % 3 else f"nobody{i}", "wrong-password") for i in range(logins)]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not jobs:
                    return
                name, pw = jobs.pop()
            _login(base, name, pw)

    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    stop.set()
    prober.join()
    return Burst(
        statistics.median(idle),
        _percentile(idle, 0.95),
        statistics.median(during),
        _percentile(during, 0.95),
        max(during),
        len(during),
        logins,
        seconds,
    )


def serve_and_measure(logins: int = 48, parallel: int = 16) -> Burst:
    import uvicorn

    from tests.helpers import free_port, wait_for
    from web.app import create_app
    from web.security import LoginThrottle
    from workflow.accounts.passwords import set_password
    from workflow.admin.users import add_user
    from workflow.config import Settings
    from workflow.db import transaction
    from workflow.schema import upgrade

    folder = tempfile.mkdtemp(prefix="ogi-burst-")
    settings = replace(Settings(database_url=f"sqlite:///{Path(folder) / 'ogi.db'}"), secret_key="s" * 40)
    upgrade(settings)
    with transaction(settings) as session:
        for i in range(8):
            add_user(session, name=f"user{i}", roles=["handler"], now=settings.now())
            set_password(session, f"user{i}", "correct-horse")
    app = create_app(settings)
    app.state.throttle = LoginThrottle(limit=10_000, address_limit=10_000)  # measure the work, not the refusal
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: server.started, 30, "the server to start")
        return measure(base, logins=logins, parallel=parallel)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=48)
    parser.add_argument("--parallel", type=int, default=16)
    args = parser.parse_args()
    b = serve_and_measure(args.logins, args.parallel)
    ms = 1000
    print(
        f"/healthz idle p50 {b.idle_p50 * ms:.1f} ms p95 {b.idle_p95 * ms:.1f} ms; during {b.logins} logins "
        f"({args.parallel} at once, {b.seconds:.1f} s): p50 {b.burst_p50 * ms:.1f} ms p95 {b.burst_p95 * ms:.1f} ms "
        f"max {b.burst_max * ms:.1f} ms over {b.probes} probes"
    )


if __name__ == "__main__":
    main()
