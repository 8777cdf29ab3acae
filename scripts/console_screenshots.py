"""Screenshots of the console at 1,000 cases for a person to look at (issue 15): the work queue, a
case page, approvals and the audit page, at desktop width (1280 px) and on a phone (390 px).

The database is seeded like the console benchmark (benchmarks/console_seed.py: the demo's case
histories copied N times into a simulation database), served by uvicorn, and walked with Debian's
Chromium through Playwright. Nothing is asserted: tests/e2e/test_layout_browser.py checks what a
machine can see; this is for looking.

    python -m scripts.console_screenshots [--cases 1000] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import sqlite_db
from benchmarks.console_bench import _serve, _stop, _up
from benchmarks.console_seed import PASSWORD, REGISTRAR, make_templates, populate
from tests.helpers import wait_for
from workflow.accounts.passwords import set_password
from workflow.config import Settings
from workflow.db import transaction
from workflow.demo import DEMO_STAFF

APPROVER = "审批人张科长"  # workflow.demo.DEMO_STAFF
AUDITOR = "审计员刘审计"
WIDTHS = {"desktop": 1280, "phone": 390}


def _passwords(settings: Settings) -> None:
    """The demo's approver and auditor log in too (the seed gives passwords to the registrar and handlers)."""
    since = datetime.now(UTC)  # after every seeded record: simulated time never runs backwards
    with transaction(settings) as session:
        for name in DEMO_STAFF:
            set_password(session, name, PASSWORD, now=since)


def _walk(port: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots: list[Path] = []
    base = f"http://127.0.0.1:{port}"
    pages = {
        REGISTRAR: [("queue", "/?scope=all"), ("case", "/cases/7")],
        APPROVER: [("approvals", "/approvals")],
        AUDITOR: [("audit", "/audit")],
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width_name, width in WIDTHS.items():
            for user, visits in pages.items():
                ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
                page = ctx.new_page()
                page.goto(f"{base}/login")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                for name, path in visits:
                    page.goto(base + path)
                    target = out / f"{name}-{width_name}.png"
                    page.screenshot(path=str(target), full_page=name != "queue")
                    shots.append(target)
                ctx.close()
        browser.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="ogi-console-shots-"))
    out.mkdir(parents=True, exist_ok=True)
    templates = make_templates()
    with sqlite_db("shots") as settings:
        populate(settings, templates, args.cases)
        _passwords(settings)
        proc, port = _serve(settings)
        try:
            wait_for(lambda: _up(port), 60, "the console server")
            for shot in _walk(port, out):
                print(shot)
        finally:
            _stop(proc)


if __name__ == "__main__":
    main()
