"""Errors outside /api are console pages in Chinese with a way on; under /api they stay JSON.
A refused form keeps what was typed; approve, return and withdraw ask once more; an admin can
remove roles through the audited path; logging in returns to the page that asked for it."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.factories import STAFF_SINCE, act, add_staff, at, login_form, new_case
from web.app import create_app
from workflow.accounts.passwords import issue_token, set_password
from workflow.db import reading, transaction
from workflow.models import AuditEvent, Case, User

DAY = "2026-05-07"
PASSWORD = "correct-horse"


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    s = replace(sqlite_settings, secret_key="e" * 48)
    with transaction(at(s, STAFF_SINCE)) as session:
        for name in ("r1", "h1", "a1", "u1", "m1"):
            set_password(session, name, PASSWORD)
    return s


def _browser(s, name: str) -> tuple[TestClient, str]:
    c = TestClient(create_app(at(s, DAY)))
    assert login_form(c, name, PASSWORD).status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text)
    assert csrf
    return c, csrf.group(1)


def _bearer(s, name: str) -> dict[str, str]:
    with transaction(at(s, DAY)) as session:
        return {"Authorization": f"Bearer {issue_token(session, name, at(s, DAY).now())}"}


def _page(r, status: int, *words: str) -> str:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in r.text and "回到工作台" in r.text
    for w in words:
        assert w in r.text
    return r.text


def _json(r, status: int) -> dict:
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    return r.json()["error"]


def test_404_403_405_are_pages_outside_the_api_and_json_inside(s):
    cid = new_case(s, "2026-05-06")
    handler, _ = _browser(s, "h1")
    _page(handler.get("/cases/99999"), 404, "没有找到")
    _page(handler.get("/no/such/page"), 404, "没有该地址")
    _page(handler.get("/cases/abc"), 422, "格式不正确")
    _page(handler.get("/audit"), 403, "仅供审计员和管理员")
    _page(handler.get("/admin"), 403, "仅供管理员")
    page = _page(handler.get(f"/cases/{cid}/act/approve"), 405, "不支持这种打开方式")
    assert f'href="/cases/{cid}"' in page  # the way on: the case itself
    api = TestClient(create_app(at(s, DAY)))
    assert _json(api.get("/api/cases/99999", headers=_bearer(s, "h1")), 404)["rule"] == "case.unknown"
    assert _json(api.get("/api/no/such", headers=_bearer(s, "h1")), 404)["message"] == "没有该地址或该记录"
    assert _json(api.get("/api/audit/export", headers=_bearer(s, "h1")), 403)["rule"] == "role.forbidden"
    assert _json(api.get("/api/cases/abc", headers=_bearer(s, "h1")), 422)["rule"] == "input.invalid"


def test_a_stale_form_or_a_bad_csrf_token_is_a_page_with_the_way_back(s):
    cid = new_case(s, "2026-05-06")
    handler, csrf = _browser(s, "h1")
    form = {"csrf": "forged", "version": "2"}
    page = _page(
        handler.post(
            f"/cases/{cid}/act/start_review", data=form, headers={"referer": f"http://testserver/cases/{cid}"}
        ),
        403,
        "表单已过期",
    )
    assert f'href="/cases/{cid}"' in page
    stale = handler.post(f"/cases/{cid}/act/start_review", data={"csrf": csrf, "version": "1"})
    assert stale.status_code == 409 and "未能办理" in stale.text and "版本" in stale.text  # the case page, in Chinese
    with reading(s) as session:
        assert session.get(Case, cid).state == "registered"


def test_an_expired_session_logs_in_again_and_returns_to_the_page(s):
    cid = new_case(s, "2026-05-06")
    c = TestClient(create_app(at(s, DAY)))
    r = c.get(f"/cases/{cid}?tab=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=%2Fcases%2F{cid}%3Ftab%3D1"
    page = c.get(r.headers["location"]).text
    assert f'name="next" value="/cases/{cid}?tab=1"' in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"username": "h1", "password": PASSWORD, "csrf": token, "next": f"/cases/{cid}?tab=1"}
    r = c.post("/login", data=form, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/cases/{cid}?tab=1")
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        other = TestClient(create_app(at(s, DAY)))
        token = re.search(r'name="csrf" value="([^"]+)"', other.get("/login").text).group(1)
        r = other.post("/login", data={**form, "csrf": token, "next": evil}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/"), evil


def test_a_refused_form_keeps_what_was_typed_beside_the_field(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, DAY, "start_review", "h1")
    handler, csrf = _browser(s, "h1")
    typed = {"csrf": csrf, "version": "3", "items": "请写明文件名称", "period_days": "99", "delivery_method": "post"}
    r = handler.post(f"/cases/{cid}/act/request_correction", data=typed)
    assert r.status_code in (409, 422)
    assert "请写明文件名称</textarea>" in r.text  # kept
    assert 'value="99"' in r.text and '<option value="post" selected>' in r.text
    assert 'class="field-error"' in r.text and "补正期限" in r.text
    assert "（规则" not in r.text  # the message, not the rule's id
    admin, csrf = _browser(s, "m1")
    r = admin.post("/admin/users", data={"csrf": csrf, "name": "新同事", "department": "法制科", "roles": "nobody"})
    assert "新同事" in r.text and 'value="法制科"' in r.text and 'class="field-error"' in r.text


def test_approve_return_and_withdraw_ask_for_confirmation_first(s):
    cid = new_case(s, "2026-05-06")
    for action, payload in (("start_review", {}), ("decide", {"outcome": "not_held"}), ("submit", {})):
        act(s, cid, DAY, action, "h1", **payload)
    approver, csrf = _browser(s, "a1")
    form = {"csrf": csrf, "version": "5", "comment": "同意", "next": "/approvals"}
    r = approver.post(f"/cases/{cid}/act/approve", data=form, follow_redirects=False)
    assert r.status_code == 200 and "确认审批通过" in r.text and 'name="confirmed" value="1"' in r.text
    assert 'name="comment" value="同意"' in r.text and 'name="next" value="/approvals"' in r.text
    with reading(s) as session:
        assert session.get(Case, cid).state == "awaiting_approval"  # nothing done yet
    r = approver.post(f"/cases/{cid}/act/approve", data={**form, "confirmed": "1"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/approvals")
    other = new_case(s, DAY)
    registrar, csrf = _browser(s, "r1")
    r = registrar.post(f"/cases/{other}/act/withdraw", data={"csrf": csrf, "version": "2", "reason": "申请人撤回"})
    assert "确认" in r.text and "申请人撤回" in r.text
    with reading(s) as session:
        assert session.get(Case, other).state == "registered"


def test_an_admin_removes_a_role_through_the_audited_path(s):
    with transaction(at(s, DAY)) as session:
        from workflow.admin.users import add_user

        add_user(session, name="h1", roles=["registrar"], now=at(s, DAY).now())  # h1 now holds two roles
    admin, csrf = _browser(s, "m1")
    assert 'action="/admin/users/roles"' in admin.get("/admin").text
    r = admin.post("/admin/users/roles", data={"csrf": csrf, "name": "h1", "roles": ["handler"]})
    assert r.status_code == 200 and "角色已改为：承办人" in r.text
    with reading(s) as session:
        assert session.exec(select(User).where(User.name == "h1")).one().role_set() == {"handler"}
        last = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()  # type: ignore[union-attr]
        assert (last.action, last.actor) == ("user_changed", "m1")
    handler, csrf = _browser(s, "h1")
    _page(handler.post("/admin/users/roles", data={"csrf": csrf, "name": "h1", "roles": ["admin"]}), 403, "管理员")


def test_a_refused_office_setting_keeps_the_form_and_names_the_setting_in_chinese(s):
    admin, csrf = _browser(s, "m1")
    r = admin.post("/admin/office", data={"csrf": csrf, "session_idle_minutes": "9999", "phone": "0000-1"})
    assert r.status_code == 200 and 'value="9999"' in r.text and 'value="0000-1"' in r.text
    error = re.search(r'<span class="field-error" role="alert">([^<]+)</span>', r.text)
    assert error and "之间的整数" in error.group(1) and "session_idle_minutes" not in error.group(1)
    assert "无操作自动退出（分钟）" in r.text
