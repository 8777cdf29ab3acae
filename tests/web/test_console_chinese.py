"""The console speaks Chinese: logged in as each role on the demo database, every page reachable
by links (and the known routes) is read, and no visible text may contain an action, state, role
or office-setting identifier as a word. Attribute values, scripts and styles are not visible."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from states import Action, CaseState, Role
from tests.factories import login_form
from web.app import create_app
from workflow.accounts.passwords import set_password
from workflow.config import LOCAL_TZ, Settings
from workflow.db import dispose_engines, transaction
from workflow.demo import DEMO_STAFF, seed
from workflow.office.settings import KEYS as OFFICE_KEYS
from workflow.schema import upgrade

NOW = datetime(2026, 9, 1, 10, 0, tzinfo=LOCAL_TZ)
PASSWORD = "crawl-password-1"
KNOWN = ["/", "/intake", "/approvals", "/audit", "/audit?verified=1", "/inbox", "/admin", "/reports", "/tokens"]
SKIP = ("/api/", "/static/", "/public", "/docs", "/openapi.json", "/logout")
IDENTIFIERS = sorted(
    {*(a.value for a in Action), *(s.value for s in CaseState), *(r.value for r in Role), *OFFICE_KEYS},
    key=len,
    reverse=True,  # the longest first, so "awaiting_fee" is reported rather than "fee"
)
# The identifiers themselves, any snake_case word (an enumeration value shown raw) and any English
# word used as a label ("department：").
WORD = re.compile(
    r"(?<![A-Za-z0-9_.@/-])("
    + "|".join(map(re.escape, IDENTIFIERS))
    + r"|[a-z]+(?:_[a-z0-9]+)+|[a-z][a-z0-9_]*(?=：))(?![A-Za-z0-9_])"
)
MAX_PAGES = 45  # per role: every page kind is reached well before this


class _Page(HTMLParser):
    """The visible text of a page and the links on it."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    db = tmp_path_factory.mktemp("crawl") / "ogi.db"
    s = Settings(database_url=f"sqlite:///{db}", now_override=NOW, secret_key="crawl-" + "k" * 40)
    upgrade(s, simulation=True)
    assert seed(s), "the demo seed created no cases"
    with transaction(s) as session:
        for name in DEMO_STAFF:
            set_password(session, name, PASSWORD)
    yield s
    dispose_engines()


def _crawl(client: TestClient) -> dict[str, list[str]]:
    """url -> the identifiers visible on it, for every console page reachable from the known routes.
    Every draft preview a page offers must render (a page in Chinese, never an error)."""
    queue, seen, found = list(KNOWN), set(KNOWN), {}
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        r = client.get(url)
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        page = _Page()
        page.feed(r.text)
        found[url] = sorted({m.group(1) for m in WORD.finditer("\n".join(page.text))})
        for href in page.links:
            parts = urlsplit(urljoin(url, href))
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if "/letters/preview/" in link and link not in seen:
                seen.add(link)
                preview = client.get(link)
                assert preview.status_code == 200, f"{url} offers {link}: {preview.text[:200]}"
            if parts.netloc not in ("", "testserver") or link.startswith(SKIP) or "format=docx" in link:
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return found


@pytest.mark.parametrize("role", ["registrar", "handler", "reviewer", "approver", "auditor", "admin"])
def test_no_english_identifier_is_visible_to_any_role(demo: Settings, role: str) -> None:
    name = next(n for n, r in DEMO_STAFF.items() if r == role)
    client = TestClient(create_app(demo))
    assert login_form(client, name, PASSWORD).status_code == 200
    found = _crawl(client)
    assert any(u.startswith("/cases/") for u in found), "the crawl reached no case page"
    leaks = {url: words for url, words in found.items() if words}
    assert not leaks, f"English identifiers visible to {role}: {leaks}"


def test_every_office_setting_and_ledger_deadline_has_a_label() -> None:
    from states.labels import DUE_LABELS, OFFICE_SETTING_LABELS
    from workflow.clock.deadlines import Deadlines

    assert set(OFFICE_KEYS) == set(OFFICE_SETTING_LABELS)
    assert set(Deadlines("running").as_dict()) | {"assist_due"} <= set(DUE_LABELS)
