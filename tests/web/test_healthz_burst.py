"""Issue 14, point 2: a burst of logins never stalls other requests. argon2 is made slow here by a
sleep that, like argon2's C code, releases the GIL: on the event loop it would hold every request
for the whole burst; off it, /healthz answers at once. Load on the machine cannot fake a pass."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace

from benchmarks.login_burst import measure
from tests.helpers import free_port, wait_for
from web.app import create_app
from web.security import LoginThrottle
from workflow.accounts import passwords

SLOW = 0.3  # seconds per "argon2" verification


def test_healthz_stays_fast_during_a_burst_of_logins(sqlite_settings, monkeypatch):
    import uvicorn

    on_loop: list[bool] = []
    real = passwords._hasher

    class Slow:
        def verify(self, stored: str, password: str) -> bool:
            try:
                asyncio.get_running_loop()
                on_loop.append(True)
            except RuntimeError:
                on_loop.append(False)
            time.sleep(SLOW)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "_hasher", Slow())
    app = create_app(replace(sqlite_settings, secret_key="s" * 40))
    app.state.throttle = LoginThrottle(limit=10_000, address_limit=10_000)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, 30, "the server to start")
        burst = measure(f"http://127.0.0.1:{port}", logins=12, parallel=6)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert len(on_loop) == 12 and not any(on_loop)  # every verification ran off the event loop
    assert burst.seconds >= 12 * SLOW / 2  # the burst really took that long
    # on the loop, half the probes would wait out several verifications (≥ 0.6 s); off it, none do
    assert burst.probes >= 5 and burst.burst_p50 < SLOW, burst
