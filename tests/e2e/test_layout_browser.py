"""The console's layout in a real browser, on the demo database: the work queue, a case page,
approvals and the audit page at desktop width (1280 px) and on a phone (390 px). Each page is
saved as a screenshot for a person to look at (OGI_SCREENSHOT_DIR, default a fresh temporary
directory), and checked for what a machine can see: nothing wider than the window, the queue as
cards on the phone, a visible focus ring, every control labelled.

Skipped like tests/e2e/test_browser.py when Chromium or Playwright is missing."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, OGI, REPO, Server, _answers, _need_browser, _stop
from tests.helpers import free_port

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - the fixture skips first
    sync_playwright = None  # type: ignore[assignment]

NOW = "2026-09-01T10:00:00+08:00"
PASSWORD = "Ogi-layout-密码-2026"
WIDTHS = {"desktop": 1280, "phone": 390}
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.name)"""


def _shots_dir() -> Path:
    chosen = os.environ.get("OGI_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="ogi-layout-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[Server]:
    """`ogi init --simulation` and `ogi demo`, the demo staff with a known password, `ogi serve`."""
    _need_browser()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env.update(
        OGI_DATABASE_URL=f"sqlite:///{tmp_path / 'ogi.db'}",
        OGI_SECRET_KEY="".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(48)),
        OGI_NOW=NOW,
        OGI_BROKER_DIR=str(tmp_path / "broker"),
    )
    env["PYTHONPATH"] = str(REPO)  # the checkout under test, not whichever one the venv was installed from
    for args in (["init", "--simulation"], ["demo"]):
        r = subprocess.run([OGI, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"ogi {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"

    from workflow.accounts.passwords import set_password
    from workflow.config import Settings
    from workflow.db import dispose_engines, transaction
    from workflow.demo import DEMO_STAFF

    try:
        with transaction(Settings.from_env(env)) as session:
            for name in DEMO_STAFF:
                set_password(session, name, PASSWORD)
    finally:
        dispose_engines()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [OGI, "serve", "--port", str(port), "--no-workers"],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    srv = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        deadline = time.monotonic() + 90  # a loaded machine starts slowly
        while not _answers(srv.url + "/login"):
            assert proc.poll() is None, f"ogi serve exited with {proc.returncode}:\n{srv.tail()}"
            assert time.monotonic() < deadline, f"ogi serve did not answer within 90 s:\n{srv.tail()}"
            time.sleep(0.2)
        yield srv
    finally:
        _stop(proc)


def _login(page: Page, base: str, user: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def _check(page: Page, width: int, what: str) -> None:
    """Nothing wider than the window; every control labelled."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width, f"{what} at {width} px is {overflow} px wide"
    assert page.evaluate(UNLABELLED) == [], f"{what}: unlabelled controls"


def _walk(page: Page, base: str, width: int, shots: Path, tag: str) -> None:
    page.goto(base + "/")
    _check(page, width, "queue")
    if width < 600:  # the queue's rows are cards: the header row is out of sight, cells carry their label
        shown = page.evaluate("() => getComputedStyle(document.querySelector('table.queue tbody tr')).display")
        assert shown == "block", "the queue is still a table on a phone"
    page.screenshot(path=str(shots / f"{tag}-1-queue.png"), full_page=True)
    page.keyboard.press("Tab")  # the skip link comes first and shows where the focus is
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "no visible focus"
    page.locator("table.queue tbody a").first.click()
    expect(page.locator("h1 .state")).to_be_visible()
    _check(page, width, "case page")
    page.screenshot(path=str(shots / f"{tag}-2-case.png"), full_page=True)
    page.emulate_media(media="print")  # the case summary as printed: no navigation, no forms
    assert not page.locator("header.top").is_visible() and not page.locator("details.action").first.is_visible()
    page.screenshot(path=str(shots / f"{tag}-5-case-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.goto(base + "/audit")
    expect(page.get_by_role("heading", name="审计")).to_be_visible()
    _check(page, width, "audit page")
    page.screenshot(path=str(shots / f"{tag}-4-audit.png"), full_page=False)


def test_queue_case_approvals_and_audit_at_desktop_and_phone_width(demo_server: Server) -> None:
    assert sync_playwright is not None
    shots = _shots_dir()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for tag, width in WIDTHS.items():
                context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
                admin = context.new_page()
                _login(admin, demo_server.url, "管理员")
                _walk(admin, demo_server.url, width, shots, tag)
                context.close()
                context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
                approver = context.new_page()
                _login(approver, demo_server.url, "审批人张科长")
                approver.get_by_role("link", name="待审批").click()
                expect(approver.get_by_role("heading", name="待审批")).to_be_visible()
                _check(approver, width, "approvals")
                approver.screenshot(path=str(shots / f"{tag}-3-approvals.png"), full_page=True)
                context.close()
        finally:
            browser.close()
    print(f"screenshots: {shots}")
    assert len(list(shots.glob("*.png"))) == 10


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
