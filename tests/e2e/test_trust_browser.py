"""Issue 14 in a real browser: a session cookie saved before logout no longer opens the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD, Server, server  # noqa: F401

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the server fixture skips first
    sync_playwright = None  # type: ignore[assignment]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "trust"


def test_a_cookie_saved_before_logout_no_longer_opens_the_queue(server: Server) -> None:  # noqa: F811
    assert sync_playwright is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            first = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
            page = first.new_page()
            page.goto(server.url + "/login")
            page.get_by_label("用户名").fill("li")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            expect(page.get_by_role("heading", name="工作台")).to_be_visible()
            saved = [c for c in first.cookies() if c["name"] == "ogi_session"]
            assert saved, "no session cookie after login"
            page.get_by_role("link", name="接口令牌").click()
            expect(page.get_by_role("heading", name="接口令牌")).to_be_visible()
            page.screenshot(path=str(SHOTS / "01-tokens-page.png"), full_page=True)
            page.get_by_role("button", name="退出").click()
            expect(page.get_by_role("heading", name="登录")).to_be_visible()

            # Another browser (an attacker who copied the cookie) presents the saved cookie.
            second = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
            second.add_cookies(saved)  # type: ignore[arg-type]
            thief = second.new_page()
            thief.goto(server.url + "/")
            expect(thief.get_by_role("heading", name="登录")).to_be_visible()
            assert thief.url.endswith("/login")
            thief.screenshot(path=str(SHOTS / "02-saved-cookie-after-logout.png"), full_page=True)
        finally:
            browser.close()


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
