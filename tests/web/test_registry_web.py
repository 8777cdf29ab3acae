"""The registry over HTTP: the API through the single door, the console pages, the case page's
panel, and the public catalogue (no login, published items only, search, Atom, stable URLs)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.factories import add_staff, at, login_form, new_case
from web.app import create_app
from workflow.accounts.passwords import issue_token, set_password
from workflow.db import transaction
from workflow.registry.service import perform_info, register_item

SECRET = "y" * 48


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    return replace(sqlite_settings, secret_key=SECRET)


def _token(s, name: str) -> dict[str, str]:
    with transaction(s) as session:
        return {"Authorization": f"Bearer {issue_token(session, name, at(s, '2026-05-06').now())}"}


def _published(s, title: str, day: str = "2026-05-06", **kw: object) -> int:
    item = register_item(
        at(s, day), title=title, made_on=date.fromisoformat(day), attribute="proactive", actor="r1", **kw
    )  # type: ignore[arg-type]
    for action, actor, payload in (
        ("review", "v1", {"conclusion": "clear"}),
        ("approve", "a1", {}),
        ("publish", "h1", {}),
    ):
        perform_info(item.id or 0, action, actor, payload, settings=at(s, day))
    return item.id or 0


def test_the_api_registers_and_acts_with_the_roles_of_the_flow(s):
    c = TestClient(create_app(at(s, "2026-05-07")))
    r = c.post(
        "/api/info/items",
        json={"title": "部门决算", "made_on": "2026-05-06", "attribute": "on_request"},
        headers=_token(s, "r1"),
    )
    assert (r.status_code, r.json()["error"]["field"], r.json()["error"]["rule"]) == (
        422,
        "reason",
        "info.reason_required",
    )
    r = c.post(
        "/api/info/items",
        json={"title": "部门决算", "made_on": "2026-05-06", "attribute": "proactive"},
        headers=_token(s, "r1"),
    )
    assert r.status_code == 201
    item = r.json()
    assert item["index_number"].endswith("/2026-00001") and item["publish_due"] == "2026-06-02"
    r = c.post(f"/api/info/items/{item['id']}/actions/approve", json={}, headers=_token(s, "h1"))
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "role.forbidden")
    r = c.post(
        f"/api/info/items/{item['id']}/actions/review",
        json={"payload": {"conclusion": "clear"}},
        headers=_token(s, "v1"),
    )
    assert r.status_code == 200 and r.json()["item"]["state"] == "reviewed"
    r = c.get(f"/api/info/items/{item['id']}/deadlines", headers=_token(s, "u1"))
    assert r.json()["explanation"][-1].startswith("结果：公开期限 2026-06-02")
    assert c.get("/api/info/items").status_code == 401


def test_the_public_catalogue_lists_searches_and_feeds_published_items_only(s):
    wanted = _published(
        s, "关于印发示例市2026年政府信息公开工作要点的通知", doc_number="示政办发〔2026〕12号", category="政务公开"
    )
    _published(s, "示例市2025年部门决算", category="财政预决算")
    hidden = register_item(
        at(s, "2026-05-06"), title="内部工作要点草稿", made_on=date(2026, 5, 6), attribute="proactive", actor="r1"
    )
    c = TestClient(create_app(at(s, "2026-05-07")))  # nobody logged in
    page = c.get("/public/catalogue").text
    assert "工作要点的通知" in page and "部门决算" in page and "草稿" not in page
    found = c.get("/public/catalogue", params={"q": "工作要点"}).text
    assert "工作要点的通知" in found and "部门决算" not in found
    filtered = c.get("/public/catalogue", params={"category": "财政预决算", "year": 2026}).text
    assert "部门决算" in filtered and "工作要点的通知" not in filtered
    entry = c.get(f"/public/catalogue/{wanted}").text
    for label in ("索引号", "发布机构", "成文日期", "文号", "公开方式", "主题分类", "示政办发〔2026〕12号"):
        assert label in entry
    index = re.search(r"索引号</th><td>([^<]+)<", entry).group(1)  # type: ignore[union-attr]
    assert c.get(f"/public/catalogue/{index}").status_code == 200  # the index number is a stable URL too
    assert c.get(f"/public/catalogue/{hidden.id}").status_code == 404
    feed = c.get("/public/catalogue/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    titles = [e.text for e in ET.fromstring(feed.content).iter("{http://www.w3.org/2005/Atom}title")]
    assert "关于印发示例市2026年政府信息公开工作要点的通知" in titles and "内部工作要点草稿" not in titles


def test_console_pages_and_the_case_panel(s):
    item = _published(s, "示例市2025年部门决算", category="财政预决算")
    cid = new_case(s, "2026-05-06", request="请公开示例市2025年部门决算")
    with transaction(at(s, "2026-05-06")) as session:
        set_password(session, "h1", "correct-horse")
    browser = TestClient(create_app(at(s, "2026-05-07")))
    assert login_form(browser, "h1", "correct-horse").status_code == 200
    case_page = browser.get(f"/cases/{cid}").text
    assert "政府信息目录中的相关信息" in case_page and f'href="/registry/{item}"' in case_page
    assert "已主动公开" in case_page
    listing = browser.get("/registry").text
    assert "示例市2025年部门决算" in listing and "登记政府信息" in listing
    page = browser.get(f"/registry/{item}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = browser.post(f"/registry/{item}/act/change", data={"csrf": csrf, "changed_on": "2026-05-07", "reason": "修订"})
    assert r.status_code == 200 and "已办理“内容变更”" in r.text
    r = browser.post(
        "/registry",
        data={"csrf": csrf, "title": "新文件", "made_on": "2026-05-07", "attribute": "withheld", "reason": "涉密"},
    )
    assert "未能登记" in r.text and "ground" in r.text
