"""Issue 14 at the web doors: server-side sessions, tokens with scope and expiry, the login form's
CSRF token, throttling by address, input hygiene, banners and caching."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from tests.factories import STAFF_SINCE, add_staff, at, login_form, new_case
from web.app import create_app
from web.security import LoginThrottle, client_address, parse_networks
from workflow.accounts.passwords import set_password
from workflow.admin.users import change_user
from workflow.db import transaction

SECRET = "x" * 48
PASSWORD = "correct-horse"


@pytest.fixture
def s(settings):
    add_staff(settings)
    with transaction(at(settings, STAFF_SINCE)) as session:  # before any day a test plays
        for name in ("h1", "m1", "a1"):
            set_password(session, name, PASSWORD)
    return replace(settings, secret_key=SECRET)


def _browser(s, name: str = "h1", now: str = "2026-05-07") -> TestClient:
    c = TestClient(create_app(at(s, now)))
    assert login_form(c, name, PASSWORD, follow_redirects=False).status_code == 303
    return c


def _csrf(page: str) -> str:
    return page.split('name="csrf" value="')[1].split('"')[0]


def _opens_queue(s, cookie: str, now: str = "2026-05-07", hour: int = 10) -> bool:
    c = TestClient(create_app(at(s, now, hour)))
    c.cookies.set("ogi_session", cookie)
    return c.get("/", follow_redirects=False).status_code == 200


def test_a_cookie_saved_before_logout_no_longer_opens_the_queue(s):
    c = _browser(s)
    saved = c.cookies["ogi_session"]
    assert _opens_queue(s, saved)
    r = c.post("/logout", data={"csrf": _csrf(c.get("/").text)}, follow_redirects=False)
    assert r.status_code == 303
    assert not _opens_queue(s, saved)


def test_logout_without_the_form_token_does_not_log_out(s):
    c = _browser(s)
    saved = c.cookies["ogi_session"]
    assert c.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert _opens_queue(s, saved)


def test_password_change_role_change_and_deactivation_end_sessions(s):
    for change in ("password", "roles", "deactivate"):
        saved = _browser(s).cookies["ogi_session"]
        assert _opens_queue(s, saved)
        day = at(s, "2026-05-07")
        with transaction(day) as session:
            if change == "password":
                set_password(session, "h1", PASSWORD, actor="h1", now=day.now())
            elif change == "roles":
                change_user(session, name="h1", actor="m1", now=day.now(), roles=["handler", "reviewer"])
            else:
                change_user(session, name="h1", actor="m1", now=day.now(), active=False)
        assert not _opens_queue(s, saved), change


def test_sessions_end_after_the_idle_and_absolute_timeouts(s):
    saved = _browser(s, now="2026-05-07").cookies["ogi_session"]  # logged in at 10:00
    assert _opens_queue(s, saved, hour=10)
    assert not _opens_queue(s, saved, hour=11)  # an hour idle > 30 minutes
    saved = _browser(s, now="2026-05-07").cookies["ogi_session"]
    for hour in range(10, 18):  # active every 20 minutes or so, but 8 hours after login it ends
        for minute in (0, 20, 40):
            c = TestClient(
                create_app(
                    replace(s, now_override=datetime.fromisoformat(f"2026-05-07T{hour:02d}:{minute:02d}:00+08:00"))
                )
            )
            c.cookies.set("ogi_session", saved)
            assert c.get("/", follow_redirects=False).status_code == 200, (hour, minute)
    late = TestClient(create_app(replace(s, now_override=datetime.fromisoformat("2026-05-07T18:05:00+08:00"))))
    late.cookies.set("ogi_session", saved)
    assert late.get("/", follow_redirects=False).status_code == 303


def test_the_login_form_needs_its_own_token(s):
    c = TestClient(create_app(at(s, "2026-05-07")))
    r = c.post("/login", data={"username": "h1", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403 and "ogi_session" not in r.cookies  # a cross-site page cannot log anyone in
    c.get("/login")
    r = c.post("/login", data={"username": "h1", "password": PASSWORD, "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403


def test_tokens_have_a_scope_an_expiry_and_are_revoked_one_by_one(s):
    api = TestClient(create_app(at(s, "2026-05-07")))
    made = {}
    for scope in ("read", "write"):
        r = api.post(
            "/api/tokens", json={"username": "h1", "password": PASSWORD, "label": scope, "scope": scope, "days": 1}
        )
        assert r.status_code == 201 and r.json()["scope"] == scope and r.json()["status"] == "active"
        made[scope] = r.json()
    read = {"Authorization": f"Bearer {made['read']['token']}"}
    write = {"Authorization": f"Bearer {made['write']['token']}"}
    cid = new_case(s, "2026-05-06", recorded="2026-05-07")
    assert api.get(f"/api/cases/{cid}", headers=read).status_code == 200
    r = api.post(f"/api/cases/{cid}/actions/start_review", json={"payload": {}}, headers=read)
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "token.scope")
    listed = api.get("/api/tokens", headers=write).json()
    assert {t["name"] for t in listed} == {"read", "write"} and all("token" not in t for t in listed)
    r = api.delete(f"/api/tokens/{made['read']['id']}", headers=write)
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert api.get(f"/api/cases/{cid}", headers=read).status_code == 401
    assert api.get(f"/api/cases/{cid}", headers=write).status_code == 200
    later = TestClient(create_app(at(s, "2026-05-09")))  # past its one day
    assert later.get(f"/api/cases/{cid}", headers=write).status_code == 401
    admin = api.post("/api/tokens", json={"username": "m1", "password": PASSWORD}).json()
    assert admin["expires_at"].startswith("2026-08-05")  # 90 days by default
    other = api.delete(f"/api/tokens/{admin['id']}", headers=write)  # not h1's to revoke
    assert (other.status_code, other.json()["error"]["rule"]) == (403, "role.forbidden")


def test_tokens_page_issues_shows_once_and_revokes(s):
    c = _browser(s)
    page = c.post(
        "/tokens", data={"csrf": _csrf(c.get("/tokens").text), "name": "脚本", "scope": "read", "days": "30"}
    ).text
    assert "只显示这一次" in page and "脚本" in page and "有效" in page
    token_id = page.split('name="revoke" value="')[1].split('"')[0]
    page = c.post("/tokens", data={"csrf": _csrf(page), "revoke": token_id}).text
    assert "已吊销" in page and "令牌已吊销" in page


def test_the_throttle_follows_the_socket_address_not_a_forged_header(s):
    c = TestClient(create_app(at(s, "2026-05-07")))
    for i in range(5):
        r = login_form(c, "h1", "wrong", headers={"X-Forwarded-For": f"10.0.0.{i}"})
        assert r.status_code == 401
    assert login_form(c, "h1", PASSWORD, headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 429


def test_client_address_believes_only_trusted_proxies():
    nets = parse_networks("10.0.0.0/8, 127.0.0.1")
    assert client_address("203.0.113.5", "1.2.3.4", nets) == "203.0.113.5"  # not a proxy: header ignored
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.7", nets) == "198.51.100.7"
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.1.1", nets) == "198.51.100.7"
    assert client_address("127.0.0.1", None, nets) == "127.0.0.1"


def test_an_attackers_address_never_locks_the_owner_out_and_waits_grow():
    throttle = LoginThrottle(limit=3, address_limit=5, base=10.0)
    for i in range(30):
        throttle.failed(f"guess{i}", "198.51.100.66")
        throttle.failed("approver", "198.51.100.66")
    assert throttle.blocked("approver", "198.51.100.66")
    assert not throttle.blocked("approver", "192.0.2.10")  # the owner, elsewhere
    fresh = LoginThrottle(limit=3, address_limit=100, base=10.0)
    waits = []
    for _ in range(6):
        fresh.failed("a", "x")
        waits.append(round(fresh.wait("a", "x")))
    assert waits[:2] == [0, 0] and waits[2] <= waits[3] // 2 + 1 and waits[3] < waits[4] < waits[5]


def test_an_unknown_name_costs_one_argon2_verification_like_a_known_one(s, monkeypatch):
    from workflow.accounts import passwords

    calls: list[str] = []
    real = passwords._hasher

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            calls.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    for name in ("h1", "nobody", "u1", "system", ""):  # known; unknown; no password; reserved; empty
        c = TestClient(create_app(at(s, "2026-05-07")))
        assert login_form(c, name, "wrong-password").status_code == 401
    assert len(calls) == 5


@pytest.mark.parametrize(
    ("how", "field"),
    [("login", "username"), ("json", "applicant"), ("query", "q"), ("path", "path"), ("search", "q")],
)
def test_control_characters_are_422_naming_the_field_on_both_databases(s, how, field):
    api = TestClient(create_app(at(s, "2026-05-07")))
    token = api.post("/api/tokens", json={"username": "h1", "password": PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    if how == "login":
        r = TestClient(create_app(at(s, "2026-05-07"))).post("/login", data={"username": "h\x001", "password": "x"})
    elif how == "json":
        body = {
            "channel": "in_person",
            "received_on": "2026-05-06",
            "applicant": "王\x00五",
            "applicant_type": "natural_person",
            "request": "请公开",
        }
        r = api.post("/api/cases", json=body, headers=auth)
    elif how == "query":
        r = api.get("/api/cases?q=%00x", headers=auth)
    elif how == "path":
        r = api.get("/api/users/a%00b", headers=auth)
    else:
        r = api.get("/?q=%01", headers=auth)
    assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text


def test_blank_text_big_bodies_and_implausible_dates_are_refused(s):
    api = TestClient(create_app(at(s, "2026-05-07")))
    token = api.post("/api/tokens", json={"username": "h1", "password": PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    body = {
        "channel": "in_person",
        "received_on": "2026-05-06",
        "applicant": "王五",
        "applicant_type": "natural_person",
        "request": " \u200b\u200b ",
    }
    r = api.post("/api/cases", json=body, headers=auth)
    assert (r.status_code, r.json()["error"]["field"], r.json()["error"]["rule"]) == (422, "request", "input.blank")
    r = api.post("/api/cases", json={**body, "request": "请公开", "received_on": "1999-01-04"}, headers=auth)
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "input.implausible_date")
    big = b'{"payload": {"x": "' + b"a" * 1_100_000 + b'"}}'
    r = api.post("/api/cases/1/actions/extend", content=big, headers={**auth, "Content-Type": "application/json"})
    assert (r.status_code, r.json()["error"]["rule"]) == (413, "input.too_large")
    r = TestClient(create_app(at(s, "2026-05-07"))).post(
        "/api/tokens", content=big, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413  # before login, and before parsing


def test_banners_come_from_the_session_and_pages_are_not_cached(s):
    c = _browser(s)
    page = c.get("/?msg=请立即向此账户汇款")
    assert "请立即向此账户汇款" not in page.text
    assert page.headers["cache-control"] == "no-store"
    cid = new_case(s, "2026-05-06")
    r = c.post(f"/cases/{cid}/act/start_review", data={"csrf": _csrf(c.get(f"/cases/{cid}").text)})
    assert "已办理“开始审查”" in r.text and "msg=" not in str(r.url)
    assert "已办理“开始审查”" not in c.get(f"/cases/{cid}").text  # shown once


@pytest.mark.parametrize("pattern", ["{code.__class__}{year}{seq}", "{code}{year}{seq!r}", "{code}{year}{seq:>5}"])
def test_the_number_pattern_takes_only_its_named_placeholders(s, pattern):
    api = TestClient(create_app(at(s, "2026-05-07")))
    token = api.post("/api/tokens", json={"username": "m1", "password": PASSWORD}).json()["token"]
    r = api.put("/api/office/number_pattern", json={"value": pattern}, headers={"Authorization": f"Bearer {token}"})
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "office.number_pattern")


def test_admin_actions_on_users_are_on_the_ledger_with_the_admin_as_actor(s):
    from sqlmodel import select

    from workflow.db import reading
    from workflow.models import AuditEvent

    api = TestClient(create_app(at(s, "2026-05-07")))
    token = api.post("/api/tokens", json={"username": "m1", "password": PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert (
        api.post(
            "/api/users", json={"name": "新人", "roles": ["handler"], "password": "longenough"}, headers=auth
        ).status_code
        == 201
    )
    h1 = api.post("/api/tokens", json={"username": "h1", "password": PASSWORD}).json()["token"]
    r = api.post("/api/users", json={"name": "x", "roles": ["admin"]}, headers={"Authorization": f"Bearer {h1}"})
    assert r.status_code == 403
    with reading(s) as session:
        events = list(session.exec(select(AuditEvent).where(AuditEvent.actor == "m1")))
    assert [e.action for e in events if "新人" in e.payload] == ["user_added", "password_set"]


def test_the_audit_page_and_api_name_a_row_changed_behind_the_engine(s):
    from sqlalchemy import text

    from workflow.db import get_engine

    cid = new_case(s, "2026-05-06")
    c = _browser(s, "m1")
    assert "案件、文书、用户与账本一致" in c.get("/audit?verified=1").text
    with get_engine(s).begin() as conn:
        conn.execute(text('UPDATE "case" SET request = :r WHERE id = :c'), {"r": "另一项申请", "c": cid})
    page = c.get("/audit?verified=1").text
    assert "审计链完整" in page and "字段 request" in page
    api = TestClient(create_app(at(s, "2026-05-07")))
    token = api.post("/api/tokens", json={"username": "m1", "password": PASSWORD}).json()["token"]
    body = api.get("/api/audit/verify", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["intact"] and any("字段 request" in p for p in body["problems"])
